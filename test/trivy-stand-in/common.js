// What every command of the trivy stand-in shares: its config, its log, Trivy's FATAL and usage
// errors, pflag-style flag parsing, the vulnerability DB and the fs-cache lock. See README.md.
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const here = path.dirname(new URL(import.meta.url).pathname);
export const config = process.env.TRIVY_STANDIN_CONFIG
  ? JSON.parse(readFileSync(process.env.TRIVY_STANDIN_CONFIG, 'utf8'))
  : {};
export const version = config.version ?? '0.68.2';
export const argv = process.argv.slice(2);
const started = Date.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Append one JSON line about this invocation to $TRIVY_STANDIN_LOG, with its CPU time so far. */
export function log(extra) {
  if (!process.env.TRIVY_STANDIN_LOG) return;
  const cpu = process.cpuUsage();
  const entry = {
    pid: process.pid,
    argv,
    dockerHost: process.env.DOCKER_HOST ?? null,
    // Where a server token came from ("env", "flag" or null), never the token itself.
    tokenFrom: argv.some((a) => a === '--token' || a.startsWith('--token='))
      ? 'flag'
      : process.env.TRIVY_TOKEN
        ? 'env'
        : null,
    start: started,
    end: Date.now(),
    // user + system CPU of this process since it started, for the benches.
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    ...extra,
  };
  appendFileSync(process.env.TRIVY_STANDIN_LOG, `${JSON.stringify(entry)}\n`);
}

export function fatal(message) {
  process.stderr.write(`${new Date().toISOString()}\tFATAL\tFatal error\t${message}\n`);
  log({ exit: 1, fatal: message.split('\n')[0] });
  process.exit(1);
}

export function usageError(message) {
  process.stderr.write(`Error: ${message}\nRun 'trivy --help' for usage.\n`);
  log({ exit: 1, usage: message });
  process.exit(1);
}

/** Go's time.ParseDuration for the forms Trivy users write: 150s, 5m0s, 1h, 500ms. */
export function parseGoDuration(text) {
  const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text)
    usageError(`invalid argument "${text}" for "--timeout" flag: time: invalid duration "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

// Flags of `trivy image` and `trivy server` (cobra rejects a flag its command does not have).
const COMMON_VALUE = ['cache-dir', 'cache-backend', 'timeout', 'token', 'token-header'];
const COMMON_BOOL = ['quiet', 'q', 'skip-db-update', 'download-db-only', 'no-progress', 'debug'];
export const FLAGS = {
  image: {
    value: new Set([
      ...COMMON_VALUE,
      ...['format', 'f', 'scanners', 'image-src', 'server', 'severity', 'exit-code'],
      ...['db-repository', 'output', 'o'],
    ]),
    bool: new Set([...COMMON_BOOL, 'version', 'v']),
  },
  server: {
    value: new Set([...COMMON_VALUE, 'listen', 'db-repository']),
    bool: new Set(COMMON_BOOL),
  },
};

/** pflag's reading of a command line: --name value, --name=value, -x, -xVALUE, and `--`. */
export function parseFlags(args, { value, bool } = FLAGS.image) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    // Like cobra (pflag): "--" ends the flags; everything after it is an argument.
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    // pflag reads "-xyz" as shorthand "-x" with "yz" as its value (or more shorthands after it).
    if (!arg.startsWith('--')) {
      const short = arg[1];
      if (value.has(short)) {
        const given = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : args[++i];
        if (given === undefined) usageError(`flag needs an argument: '${short}' in -${short}`);
        flags[short] = given;
      } else if (bool.has(short) && arg.length === 2) flags[short] = true;
      else usageError(`unknown shorthand flag: '${short}' in ${arg}`);
      continue;
    }
    const [rawName, inline] = arg.replace(/^--/, '').split(/=(.*)/s);
    if (bool.has(rawName)) flags[rawName] = inline === undefined ? true : inline !== 'false';
    else if (value.has(rawName)) {
      const given = inline ?? args[++i];
      if (given === undefined) usageError(`flag needs an argument: --${rawName}`);
      flags[rawName] = given;
    } else usageError(`unknown flag: ${arg.split('=')[0]}`);
  }
  return { flags, positional };
}

const reportsDir = config.reportsDir ?? path.join(here, '..', 'fixtures', 'trivy-reports');

/** A fixture report (real, from Trivy's test suite) as Trivy would print it for `ref`. */
export function readReport(ref, name) {
  const raw = JSON.parse(readFileSync(path.join(reportsDir, `${name}.json`), 'utf8'));
  raw.ArtifactName = ref;
  raw.CreatedAt = new Date().toISOString();
  return raw;
}

export function defaultCacheDir() {
  return path.join(process.env.HOME ?? '/root', '.cache', 'trivy');
}

export function dbPath(cacheDir) {
  return path.join(cacheDir, 'db', 'trivy.db');
}

/**
 * Download the vulnerability DB into the cache dir. `wrap` is what the command puts before
 * Trivy's own error: `trivy image` says "run error: init error: DB error: ", the server nothing.
 */
export async function downloadDb(cacheDir, wrap = 'run error: init error: DB error: ') {
  if (config.offline) {
    fatal(
      `${wrap}failed to download vulnerability DB: database download error: OCI repository error: 1 error occurred:\n\t* Get "https://mirror.gcr.io/v2/aquasec/trivy-db/manifests/2": dial tcp: lookup mirror.gcr.io: no such host`,
    );
  }
  await sleep(config.dbDownloadMs ?? 200);
  mkdirSync(path.dirname(dbPath(cacheDir)), { recursive: true });
  writeFileSync(dbPath(cacheDir), 'stand-in trivy-db v2\n');
  writeFileSync(
    path.join(cacheDir, 'db', 'metadata.json'),
    JSON.stringify({
      Version: 2,
      NextUpdate: new Date(Date.now() + 6 * 3600e3).toISOString(),
      UpdatedAt: new Date().toISOString(),
    }),
  );
}

/** `--skip-db-update` on a cache without a DB: Trivy refuses (pkg/db/db.go). */
export function requireDb(cacheDir, wrap = 'run error: init error: DB error: ') {
  if (!existsSync(dbPath(cacheDir)))
    fatal(`${wrap}database error: --skip-db-update cannot be specified on the first run`);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The fs scan cache is a bbolt file: one process at a time. v0.68+ gives up after 5 s; `wrap` is
 * what the command puts before the cache error (the server says "server cache error: ").
 */
export async function lockFsCache(
  cacheDir,
  wrap = 'run error: init error: unable to initialize cache: ',
) {
  const dir = path.join(cacheDir, 'fanal');
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, 'fanal.db.lock');
  const [major, minor] = version.split('.').map(Number);
  const failsFast = major > 0 || minor >= 68;
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      writeFileSync(lock, String(process.pid));
      process.on('exit', () => rmSync(lock, { force: true }));
      return;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8') || 0);
      // flock is released when its holder dies; so is ours.
      if (holder && !isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
    }
    if (failsFast && Date.now() > deadline) {
      fatal(
        `${wrap}unable to initialize fs cache: cache may be in use by another process: timeout`,
      );
    }
    await sleep(50);
  }
}
