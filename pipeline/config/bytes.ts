import { createError } from '../errors.ts';
import { CONFIG_ERRORS } from '../errors/config-errors.ts';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1 << 20,
  mb: 1e6,
  mib: 1 << 20,
  g: 1 << 30,
  gb: 1e9,
  gib: 1 << 30,
};

/**
 * Parse a size such as `268435456`, `256MiB`, `64M` or `1.5GB` into bytes.
 * `name` is the variable or flag the value came from, for the error message.
 */
export function parseBytes(value: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(value.trim().toLowerCase());
  const unit = match ? UNITS[match[2]!] : undefined;
  if (!match || unit === undefined) throw createError(CONFIG_ERRORS.sizeInvalid, { name, value });
  return Math.round(Number(match[1]) * unit);
}

/** Format bytes the way people read them: 512 B, 64 KiB, 256 MiB, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
