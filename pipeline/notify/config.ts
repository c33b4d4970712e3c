import { SETTINGS, readSetting } from '../config/settings.ts';
import { createError } from '../errors.ts';
import { NOTIFY_ERRORS } from '../errors/notify-errors.ts';
import { BADGE_SEVERITIES, type Severity } from '../vocabulary.ts';
import { checkApprise } from './check-apprise.ts';
import { parseDestinations, type Destination } from './destinations.ts';
import { createRedactor, type Redactor } from './redact.ts';
import type { Threshold } from './state-schema.ts';
import { DEFAULT_THRESHOLD } from './threshold.ts';

/** Everything notifications need, checked before any work. */
export interface NotifyConfig {
  /** Empty: notifications are off (refresh skips the stage). */
  destinations: Destination[];
  /** Base of dashboard links, ending in "/"; none when DOCKPEEK_PUBLIC_URL is unset. */
  publicUrl?: string;
  threshold: Threshold;
  /** Local time of the daily digest; null: a message per run. */
  digest: { hour: number; minute: number } | null;
  timeoutMs: number;
  maxAttempts: number;
  maxResponseBytes: number;
  /** The apprise executable (resolved when an apprise URL is configured). */
  appriseBin: string;
  env: NodeJS.ProcessEnv;
  /** Removes every destination's credentials, and any credential form, from text shown or stored. */
  redact: Redactor;
}

// A threshold names a severity above unknown: the badge severities.
const LEVELS: readonly string[] = BADGE_SEVERITIES;

/**
 * Read and check every notification variable; throws config_invalid naming the variable and the
 * problem. With `checkApprise`, apprise URLs are also loaded by a dry run of the apprise CLI.
 */
export async function resolveNotifyConfig(
  env: NodeJS.ProcessEnv,
  options: { checkApprise?: boolean } = {},
): Promise<NotifyConfig> {
  const destinations = parseDestinations(env.DOCKPEEK_NOTIFY_URLS);
  const timeoutMs = readSetting(SETTINGS.notifyTimeout, undefined, env);
  const publicUrl = readPublicUrl(env.DOCKPEEK_PUBLIC_URL);
  const config: NotifyConfig = {
    destinations,
    ...(publicUrl && { publicUrl }),
    threshold: {
      severity: readLevel(env, 'DOCKPEEK_NOTIFY_SEVERITY', DEFAULT_THRESHOLD.severity, false)!,
      fixable: readLevel(env, 'DOCKPEEK_NOTIFY_FIXABLE_SEVERITY', DEFAULT_THRESHOLD.fixable, true),
    },
    digest: readDigest(env.DOCKPEEK_NOTIFY_DIGEST),
    timeoutMs,
    maxAttempts: readSetting(SETTINGS.notifyMaxAttempts, undefined, env),
    maxResponseBytes: readSetting(SETTINGS.notifyMaxResponse, undefined, env),
    appriseBin: env.DOCKPEEK_APPRISE_BIN?.trim() || 'apprise',
    env,
    redact: createRedactor(destinations),
  };
  if (options.checkApprise !== false) {
    const found = await checkApprise(destinations, config.appriseBin, { timeoutMs, env });
    if (found) config.appriseBin = found;
  }
  return config;
}

function readLevel(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: Severity | null,
  allowOff: boolean,
): Severity | null {
  const raw = env[variable]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (allowOff && raw === 'off') return null;
  if (LEVELS.includes(raw)) return raw as Severity;
  throw createError(NOTIFY_ERRORS.severityInvalid, {
    variable,
    raw: env[variable],
    levels: LEVELS,
    allowOff,
  });
}

/** "08:00" (local time, 24 h) or off. */
function readDigest(value: string | undefined): NotifyConfig['digest'] {
  const raw = value?.trim().toLowerCase();
  if (!raw || raw === 'off') return null;
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!match) throw createError(NOTIFY_ERRORS.digestTimeInvalid, { value });
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** An http(s) URL without credentials (it is put in every message), as a base ending in "/". */
function readPublicUrl(value: string | undefined): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password)
    throw createError(NOTIFY_ERRORS.publicUrlInvalid, {});
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url.href;
}
