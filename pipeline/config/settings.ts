import path from 'node:path';
import { DockpeekError } from '../errors.ts';
import { parseBytes } from './bytes.ts';
import { parseDuration } from './duration.ts';

// Every tunable number of the product, declared once with its variable, flag, default and range.
// Commands read them through readSetting, so every error names its source and the allowed range,
// and docs/configuration.md is checked against this table by a test.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Node's timers overflow past 2^31-1 ms (24.8 days) and fire at once; stay under. */
export const MAX_TIMER_MS = 24 * DAY;

interface Common {
  /** The environment variable, when there is one. */
  env?: string;
  /** The command-line flag that overrides it, when there is one. */
  flag?: string;
  /** What it is, for errors and --help. */
  what: string;
}
export interface DurationSetting extends Common {
  kind: 'duration';
  default: string;
  /** Inclusive range in milliseconds. */
  min: number;
  max: number;
}
export interface CountSetting extends Common {
  kind: 'count';
  default: number;
  min: number;
  max: number;
}
export interface BytesSetting extends Common {
  kind: 'bytes';
  default: string;
  min: number;
  max: number;
}
export type Setting = DurationSetting | CountSetting | BytesSetting;
/** A setting that names one of a few ways of working (read with readChoice). */
export interface ChoiceSetting extends Common {
  kind: 'choice';
  default: string;
  values: readonly string[];
}
/** Any row of the table. */
export type AnySetting = Setting | ChoiceSetting;

/** The table of settings; docs/configuration.md documents each (test/config/docs.test.ts). */
export const SETTINGS = {
  connectTimeout: {
    kind: 'duration',
    env: 'DOCKPEEK_DOCKER_CONNECT_TIMEOUT',
    flag: '--connect-timeout',
    what: "deadline for a Docker host's first answer",
    default: '5s',
    min: 100,
    max: 10 * MINUTE,
  },
  dockerTimeout: {
    kind: 'duration',
    env: 'DOCKPEEK_DOCKER_TIMEOUT',
    flag: '--timeout',
    what: 'deadline for each later Docker request',
    default: '30s',
    min: 100,
    max: HOUR,
  },
  dockerMaxResponse: {
    kind: 'bytes',
    env: 'DOCKPEEK_DOCKER_MAX_RESPONSE',
    what: 'largest Docker API answer read from a host',
    default: '64MiB',
    min: 1 << 20,
    max: 1 << 30,
  },
  scanWorkers: {
    kind: 'count',
    env: 'TRIVY_SCAN_WORKERS',
    flag: '--workers',
    what: 'trivy processes at once',
    default: 3,
    min: 1,
    max: 64,
  },
  scanTimeout: {
    kind: 'duration',
    env: 'TRIVY_SCAN_TIMEOUT',
    flag: '--scan-timeout',
    what: 'time limit of one image scan',
    default: '150s',
    min: SECOND,
    max: DAY,
  },
  failedTtl: {
    kind: 'duration',
    env: 'TRIVY_FAILED_TTL',
    flag: '--failed-ttl',
    what: 'time before a failed image is retried (0: every run)',
    default: '1h',
    min: 0,
    max: 365 * DAY,
  },
  resultTtl: {
    kind: 'duration',
    env: 'TRIVY_RESULT_TTL',
    flag: '--result-ttl',
    what: 'time a scan result is reused (0: never)',
    default: '24h',
    min: 0,
    max: 365 * DAY,
  },
  scanStrategy: {
    kind: 'choice',
    env: 'TRIVY_SCAN_STRATEGY',
    what: 'how trivy scans (docs/scanning.md, "Server or memory")',
    default: 'auto',
    values: ['auto', 'server', 'memory'],
  },
  trivyServerStart: {
    kind: 'duration',
    env: 'DOCKPEEK_TRIVY_SERVER_START_TIMEOUT',
    what: 'time the private trivy server has to answer /healthz',
    default: '60s',
    min: SECOND,
    max: HOUR,
  },
  trivyMaxOutput: {
    kind: 'bytes',
    env: 'DOCKPEEK_TRIVY_MAX_OUTPUT',
    what: 'largest report accepted from one scan',
    default: '256MiB',
    min: 1024,
    max: 8 * (1 << 30),
  },
  updateTtl: {
    kind: 'duration',
    env: 'DOCKPEEK_UPDATE_TTL',
    flag: '--update-ttl',
    what: 'time an update check is reused (0: never)',
    default: '6h',
    min: 0,
    max: 365 * DAY,
  },
  updateTimeout: {
    kind: 'duration',
    env: 'DOCKPEEK_UPDATE_TIMEOUT',
    what: 'deadline of one registry question',
    default: '15s',
    min: 100,
    max: 10 * MINUTE,
  },
  staleAfter: {
    kind: 'duration',
    env: 'DOCKPEEK_STALE_AFTER',
    what: 'age from which the dashboard calls a snapshot stale',
    default: '26h',
    min: MINUTE,
    max: 365 * DAY,
  },
  notifyTimeout: {
    kind: 'duration',
    env: 'DOCKPEEK_NOTIFY_TIMEOUT',
    what: 'deadline of one notification send (an HTTP post, or the whole apprise run)',
    default: '15s',
    min: SECOND,
    max: 5 * MINUTE,
  },
  notifyMaxAttempts: {
    kind: 'count',
    env: 'DOCKPEEK_NOTIFY_MAX_ATTEMPTS',
    what: 'runs that try to deliver an event to a destination before it is dropped',
    default: 24,
    min: 1,
    max: 1000,
  },
  notifyMaxResponse: {
    kind: 'bytes',
    env: 'DOCKPEEK_NOTIFY_MAX_RESPONSE',
    what: 'largest answer read from a notification server',
    default: '64KiB',
    min: 1024,
    max: 16 << 20,
  },
  every: {
    kind: 'duration',
    flag: '--every',
    what: 'pause between two refreshes',
    default: '30m',
    min: MINUTE,
    max: MAX_TIMER_MS,
  },
  wait: {
    kind: 'duration',
    flag: '--wait',
    what: 'time to wait for another run holding the data dir',
    default: '30m',
    min: 0,
    max: MAX_TIMER_MS,
  },
  feedMaxAge: {
    kind: 'duration',
    env: 'DOCKPEEK_FEEDS_MAX_AGE',
    what: 'age from which refresh downloads a feed (KEV, EPSS) again (0: every run)',
    default: '24h',
    min: 0,
    max: 365 * DAY,
  },
  feedTimeout: {
    kind: 'duration',
    env: 'DOCKPEEK_FEED_TIMEOUT',
    what: 'deadline of one feed download, body included',
    default: '2m',
    min: SECOND,
    max: HOUR,
  },
  kevMaxSize: {
    kind: 'bytes',
    env: 'DOCKPEEK_KEV_MAX_SIZE',
    what: 'largest CISA KEV catalogue accepted (the 2025 one is 1.2 MiB)',
    default: '16MiB',
    min: 64 * 1024,
    max: 256 * (1 << 20),
  },
  epssMaxSize: {
    kind: 'bytes',
    env: 'DOCKPEEK_EPSS_MAX_SIZE',
    what: 'largest EPSS download accepted, as sent (gzip: about 2 MiB in 2025)',
    default: '64MiB',
    min: 64 * 1024,
    max: 1 << 30,
  },
  epssMaxUnpacked: {
    kind: 'bytes',
    env: 'DOCKPEEK_EPSS_MAX_UNPACKED',
    what: 'largest EPSS CSV accepted once gunzipped (about 10 MiB in 2025)',
    default: '256MiB',
    min: 64 * 1024,
    max: 4 * (1 << 30),
  },
  buildHeap: {
    kind: 'bytes',
    env: 'DOCKPEEK_BUILD_HEAP',
    what: 'heap limit of the build process (a build that needs more is retried once without one)',
    default: '256MiB',
    min: 16 * (1 << 20),
    max: 64 * (1 << 30),
  },
  buildThreads: {
    kind: 'count',
    env: 'DOCKPEEK_BUILD_THREADS',
    what: 'threads rendering snapshot pages (at most one per CPU core; each more adds ~120 MiB)',
    default: 2,
    min: 1,
    max: 16,
  },
  fixFirstPercentile: {
    kind: 'count',
    env: 'DOCKPEEK_EPSS_PERCENTILE',
    what: 'EPSS percentile from which a finding is listed under "Fix first"',
    default: 95,
    min: 1,
    max: 100,
  },
  vexMaxSize: {
    kind: 'bytes',
    env: 'DOCKPEEK_VEX_MAX_SIZE',
    what: 'largest accepted-risk file (.trivyignore.yaml, OpenVEX JSON) read',
    default: '4MiB',
    min: 1024,
    max: 256 * (1 << 20),
  },
} as const satisfies Record<string, AnySetting>;

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
  const range = describeRange(setting);
  const fail = (why: string): never => {
    throw new DockpeekError(
      'config_invalid',
      `${source}=${JSON.stringify(raw)} ${why}`,
      `${capitalise(setting.what)}: ${range}.`,
    );
  };
  let value: number;
  if (setting.kind !== 'count') {
    try {
      value = (setting.kind === 'duration' ? parseDuration : parseBytes)(raw, source);
    } catch (error) {
      if (!(error instanceof DockpeekError)) throw error;
      // Keep the parser's words, and add the range this setting allows.
      throw new DockpeekError(
        'config_invalid',
        error.message,
        `${capitalise(setting.what)}: ${range}. ${error.hint ?? ''}`.trim(),
      );
    }
  } else {
    if (!/^\s*\d+\s*$/.test(raw)) fail('is not a whole number');
    value = Number(raw);
  }
  if (value < setting.min || value > setting.max) fail('is out of range');
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
    throw new DockpeekError(
      'config_invalid',
      `${setting.env}=${JSON.stringify(raw)} is not one of ${setting.values.join(', ')}`,
      `${capitalise(setting.what)}: ${describeRange(setting)}.`,
    );
  }
  return raw;
}

/** "a duration from 1 s to 24 h", for errors, --help and the docs. */
export function describeRange(setting: AnySetting): string {
  if (setting.kind === 'choice')
    return `${setting.values.slice(0, -1).join(', ')} or ${setting.values.at(-1)}`;
  if (setting.kind === 'count') return `a whole number from ${setting.min} to ${setting.max}`;
  const format = setting.kind === 'bytes' ? compactBytes : compactDuration;
  const kind = setting.kind === 'bytes' ? 'a size' : 'a duration';
  return `${kind} from ${setting.min === 0 ? '0' : format(setting.min)} to ${format(setting.max)}`;
}

/** The help text of a flag: what it is, its variable, default and range. */
export function helpFor(setting: AnySetting): string {
  const env = setting.env ? `env ${setting.env}, ` : '';
  return `${setting.what} [${env}default ${setting.default}; ${describeRange(setting)}]`;
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
  if (flag.value !== undefined && flag.value.trim() === '') {
    throw new DockpeekError(
      'config_invalid',
      `${flag.name} is empty`,
      `Give a folder, or leave ${flag.name} out to use ${variable} (default ${fallback}).`,
    );
  }
  return path.resolve(pick(flag.value, env[variable]?.trim(), fallback));
}

/** $DOCKPEEK_DATA_DIR (or --data-dir), default ./data, resolved against the working directory. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveDir({ name: '--data-dir', value: flag }, 'DOCKPEEK_DATA_DIR', env, './data');
}

/** A yes/no variable: 1/true/yes/on or 0/false/no/off; anything else names the variable. */
export function readSwitch(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new DockpeekError(
    'config_invalid',
    `${variable}=${JSON.stringify(env[variable])} is not a yes/no value`,
    'Use 1 or 0 (true/false, yes/no, on/off).',
  );
}

/** --wait: absent → 0 (fail at once when the data dir is held); bare → 30m; else a duration. */
export function resolveWait(flag: string | boolean | undefined): number {
  if (flag === undefined || flag === false) return 0;
  return readSetting(SETTINGS.wait, flag === true ? SETTINGS.wait.default : flag, {});
}
