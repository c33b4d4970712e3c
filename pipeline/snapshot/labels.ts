import { CONTROL_CHARS, INVISIBLE_CHARS } from '../safe-text.ts';
import { ANCHOR_TYPES, ROLES, type AnchorType, type Role } from '../vocabulary.ts';

/** The dockpeek.* labels of one container, checked. */
export interface DockpeekLabels {
  /** Every dockpeek.* label after sanitising: the only labels ever stored. */
  stored: Record<string, string>;
  role?: Role;
  anchor?: string;
  anchorType?: AnchorType;
  stack?: string;
  hide: boolean;
  skip: boolean;
  warnings: string[];
}

export const MAX_LABEL_VALUE = 200;
const MAX_LABELS = 32;
const KNOWN_KEYS = new Set(['role', 'anchor', 'anchor-type', 'stack', 'hide', 'security.skip']);
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/** Read and check the dockpeek.* labels; any oddity becomes a warning, never an exception. */
export function readDockpeekLabels(all: Record<string, string>): DockpeekLabels {
  const warnings: string[] = [];
  const stored: Record<string, string> = {};
  const keys = Object.keys(all)
    .filter((k) => k.startsWith('dockpeek.'))
    .sort();
  if (keys.length > MAX_LABELS) {
    warnings.push(`${keys.length} dockpeek.* labels; only the first ${MAX_LABELS} were read`);
  }
  for (const key of keys.slice(0, MAX_LABELS)) {
    const safeKey = sanitise(key, 'label name', warnings).slice(0, 64);
    stored[safeKey] = sanitise(all[key] ?? '', safeKey, warnings);
    if (!KNOWN_KEYS.has(safeKey.slice('dockpeek.'.length))) {
      warnings.push(
        `unknown label ${JSON.stringify(safeKey)} (known: ${[...KNOWN_KEYS].map((k) => `dockpeek.${k}`).join(', ')})`,
      );
    }
  }

  const result: DockpeekLabels = { stored, hide: false, skip: false, warnings };
  const role = stored['dockpeek.role']?.trim().toLowerCase();
  if (role) {
    if (isOneOf(ROLES, role)) result.role = role;
    else
      warnings.push(
        `unknown role ${JSON.stringify(role)} in dockpeek.role (expected ${ROLES.join(', ')}); ignored`,
      );
  }
  const anchorType = stored['dockpeek.anchor-type']?.trim().toLowerCase();
  if (anchorType) {
    if (isOneOf(ANCHOR_TYPES, anchorType)) result.anchorType = anchorType;
    else
      warnings.push(
        `unknown anchor type ${JSON.stringify(anchorType)} in dockpeek.anchor-type (expected ${ANCHOR_TYPES.join(', ')}); ignored`,
      );
  }
  const anchor = stored['dockpeek.anchor']?.trim();
  if (anchor) {
    // Docker writes names with a leading "/"; a bare "/" names nothing and is warned about.
    const name = anchor.replace(/^\//, '');
    if (CONTAINER_NAME.test(name)) result.anchor = name;
    else
      warnings.push(
        `dockpeek.anchor ${JSON.stringify(anchor)} is not a valid container name; ignored`,
      );
  }
  const stack = stored['dockpeek.stack']?.trim();
  if (stack) result.stack = stack;
  result.hide = readBoolean(stored, 'dockpeek.hide', warnings);
  result.skip = readBoolean(stored, 'dockpeek.security.skip', warnings);
  return result;
}

/**
 * Strip the control and invisible characters of safe-text.ts and cap the length, saying so. They
 * are removed, not replaced: a name or label is a value, and its owner sees the warning.
 */
export function sanitise(
  value: string,
  what: string,
  warnings: string[],
  max = MAX_LABEL_VALUE,
): string {
  let clean = value.replace(CONTROL_CHARS, '');
  if (clean !== value) warnings.push(`${what} contained control characters; they were removed`);
  const invisible = [...new Set(clean.match(INVISIBLE_CHARS))].map(
    (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  if (invisible.length > 0) {
    clean = clean.replace(INVISIBLE_CHARS, '');
    warnings.push(
      `${what} contained invisible or bidirectional formatting characters (${invisible.join(', ')}); they were removed`,
    );
  }
  if (clean.length > max) {
    warnings.push(`${what} is ${clean.length} characters long; truncated to ${max}`);
    clean = clean.slice(0, max);
  }
  return clean;
}

function readBoolean(stored: Record<string, string>, key: string, warnings: string[]): boolean {
  const raw = stored[key];
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (!FALSE.has(value))
    warnings.push(`${key}=${JSON.stringify(raw)} is not true or false; read as false`);
  return false;
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}
