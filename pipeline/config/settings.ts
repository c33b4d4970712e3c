import path from 'node:path';
import { DockpeekError, createError } from '../errors.ts';
import { CONFIG_ERRORS } from '../errors/config-errors.ts';
import { parseBytes } from './bytes.ts';
import { parseDuration } from './duration.ts';
import { SETTINGS } from './setting-table.ts';
import type { AnySetting, ChoiceSetting, FolderSetting, Setting } from './setting-types.ts';
import { DAY, HOUR, MINUTE, SECOND } from './time-units.ts';

// Reading the settings of setting-table.ts: every error names its source and the allowed range.
export { SETTINGS } from './setting-table.ts';
export { MAX_TIMER_MS } from './time-units.ts';
export type {
  AnySetting,
  BytesSetting,
  ChoiceSetting,
  CountSetting,
  DurationSetting,
  FolderSetting,
  Setting,
} from './setting-types.ts';

/**
 * Read one setting: the flag if given, else its variable if set and non-empty, else the default.
 * Throws config_invalid naming the flag or variable and the allowed range.
 */
export function readSetting(
  setting: Setting,
  flagValue: string | undefined,
  env: NodeJS.ProcessEnv,
): number {
  const fromFlag = flagValue !== undefined;
  const source = fromFlag ? setting.flag! : setting.env!;
  const raw = fromFlag
    ? flagValue
    : setting.env && env[setting.env]
      ? env[setting.env]!
      : undefined;
  if (raw === undefined) return parseValue(setting, String(setting.default), 'the default');
  return parseValue(setting, raw, source);
}

function parseValue(setting: Setting, raw: string, source: string): number {
  const args = { source, raw, what: setting.what, range: describeRange(setting) };
  let value: number;
  if (setting.kind !== 'count') {
    try {
      value = (setting.kind === 'duration' ? parseDuration : parseBytes)(raw, source);
    } catch (error) {
      if (!(error instanceof DockpeekError)) throw error;
      // Keep the parser's words, and add the range this setting allows.
      throw createError(
        CONFIG_ERRORS.settingNotParsed,
        { ...args, parsed: error },
        { cause: error },
      );
    }
  } else {
    if (!/^\s*\d+\s*$/.test(raw)) throw createError(CONFIG_ERRORS.settingNotWholeNumber, args);
    value = Number(raw);
  }
  if (value < setting.min || value > setting.max)
    throw createError(CONFIG_ERRORS.settingOutOfRange, args);
  return value;
}

/**
 * Read a choice: its variable if set and non-empty, else the default. Throws config_invalid naming
 * the variable and the values allowed.
 */
export function readChoice<S extends ChoiceSetting>(
  setting: S,
  env: NodeJS.ProcessEnv,
): S['values'][number] {
  const raw = setting.env ? env[setting.env] : undefined;
  if (!raw) return setting.default;
  if (!setting.values.includes(raw)) {
    const range = describeRange(setting);
    const args = { source: setting.env!, raw, values: setting.values, what: setting.what, range };
    throw createError(CONFIG_ERRORS.choiceInvalid, args);
  }
  return raw;
}

/** "a duration from 1 s to 24 h", for errors, --help and the docs. */
export function describeRange(setting: AnySetting): string {
  if (setting.kind === 'folder') return 'a folder';
  if (setting.kind === 'choice')
    return `${setting.values.slice(0, -1).join(', ')} or ${setting.values.at(-1)}`;
  if (setting.kind === 'count') return `a whole number from ${setting.min} to ${setting.max}`;
  const format = setting.kind === 'bytes' ? compactBytes : compactDuration;
  const kind = setting.kind === 'bytes' ? 'a size' : 'a duration';
  return `${kind} from ${setting.min === 0 ? '0' : format(setting.min)} to ${format(setting.max)}`;
}

/** The help text of a flag: what it is, its variable, default and range (a folder's goes unsaid). */
export function helpFor(setting: AnySetting): string {
  const env = setting.env ? `env ${setting.env}, ` : '';
  const range = setting.kind === 'folder' ? '' : `; ${describeRange(setting)}`;
  return `${setting.what} [${env}default ${setting.default}${range}]`;
}

/** A size the way it is written in configuration: 1KiB, 64MiB, 8GiB. */
function compactBytes(bytes: number): string {
  for (const [size, unit] of [
    [1 << 30, 'GiB'],
    [1 << 20, 'MiB'],
    [1 << 10, 'KiB'],
  ] as const)
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  return `${bytes}B`;
}

/** A duration the way it is written in configuration: 100ms, 1s, 10m, 24h, 365d. */
function compactDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [SECOND, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** The value of a flag if given, else of its environment variable, else the default. */
export function pick(flag: string | undefined, env: string | undefined, fallback: string): string {
  return flag ?? (env || fallback);
}

/**
 * A folder from a flag or its variable, resolved against the working directory. An empty flag is
 * an error (an empty variable counts as unset).
 */
export function resolveDir(
  flag: { name: string; value: string | undefined },
  variable: string,
  env: NodeJS.ProcessEnv,
  fallback: string,
): string {
  if (flag.value !== undefined && flag.value.trim() === '')
    throw createError(CONFIG_ERRORS.folderEmpty, { flag: flag.name, variable, fallback });
  return path.resolve(pick(flag.value, env[variable]?.trim(), fallback));
}

/** A folder setting: its flag, else its variable, else its default, resolved against the cwd. */
export function resolveFolder(
  setting: FolderSetting,
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  return resolveDir({ name: setting.flag!, value: flag }, setting.env!, env, setting.default);
}

/** $DOCKPEEK_DATA_DIR (or --data-dir), default ./data, resolved against the working directory. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveFolder(SETTINGS.dataDir, flag, env);
}

/** A yes/no variable: 1/true/yes/on or 0/false/no/off; anything else names the variable. */
export function readSwitch(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw createError(CONFIG_ERRORS.switchInvalid, { variable, raw: env[variable] });
}

/** --wait: absent → 0 (fail at once when the data dir is held); bare → 30m; else a duration. */
export function resolveWait(flag: string | boolean | undefined): number {
  return readOptionalValue(SETTINGS.wait, flag) ?? 0;
}

/**
 * A setting whose flag may be given alone (`valueOptional`): undefined when absent, its default
 * when bare, else the value given. Only the flag counts: its variable, if any, is not read.
 */
export function readOptionalValue(
  setting: Setting,
  flag: string | boolean | undefined,
): number | undefined {
  if (flag === undefined || flag === false) return undefined;
  return readSetting(setting, flag === true ? String(setting.default) : flag, {});
}
