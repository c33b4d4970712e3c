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
export const config = process.env.DPK_STANDIN_CONFIG
  ? JSON.parse(readFileSync(process.env.DPK_STANDIN_CONFIG, 'utf8'))
  : {};
export const version = config.version ?? '0.68.2';
export const argv = process.argv.slice(2);
const started = Date.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** What this process did besides its command, carried on each of its log lines. */
export const noted = { downloads: [], versionCheck: false };

/** Append one JSON line about this invocation to $DPK_STANDIN_LOG, with its CPU time so far. */
export function log(extra) {
  if (!process.env.DPK_STANDIN_LOG) return;
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
    // DBs this process downloaded ("db", "java-db"), and whether it would have asked
    // check.trivy.dev for news (version check and telemetry not both off).
    ...(noted.downloads.length && { downloads: noted.downloads }),
    ...(noted.versionCheck && { versionCheck: true }),
    ...extra,
  };
  appendFileSync(process.env.DPK_STANDIN_LOG, `${JSON.stringify(entry)}\n`);
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

// Flags of `trivy image` and `trivy server` (cobra rejects a flag its command does not have; the
// version check and telemetry flags are scan flags, which `trivy server` refuses).
const COMMON_VALUE = ['cache-dir', 'cache-backend', 'timeout', 'token', 'token-header'];
const COMMON_VALUE_MORE = ['db-repository', 'module-dir', 'config', 'c'];
const COMMON_BOOL = ['quiet', 'q', 'skip-db-update', 'download-db-only', 'no-progress', 'debug'];
export const FLAGS = {
  image: {
    value: new Set([
      ...COMMON_VALUE,
      ...COMMON_VALUE_MORE,
      ...['format', 'f', 'scanners', 'image-src', 'server', 'severity', 'exit-code'],
      ...['exit-on-eol', 'docker-host', 'java-db-repository', 'ignorefile', 'output', 'o'],
    ]),
    bool: new Set([
      ...COMMON_BOOL,
      ...['version', 'v', 'skip-java-db-update', 'download-java-db-only', 'insecure'],
      ...['skip-version-check', 'disable-telemetry', 'list-all-pkgs', 'ignore-unfixed'],
    ]),
  },
  server: {
    value: new Set([...COMMON_VALUE, ...COMMON_VALUE_MORE, 'listen']),
    bool: new Set([...COMMON_BOOL, 'insecure']),
  },
};

/**
 * Like Trivy's viper binding: every flag of the command can also come from TRIVY_<FLAG> in the
 * environment (TRIVY_SERVER is --server), the command line winning; then from the config file
 * (`trivy.yaml` in the working directory unless --config says otherwise), whose keys the stand-in
 * reads only for exit-code. Variables of flags the command lacks are ignored, as Trivy ignores them.
 */
export function applyEnv(flags, { value, bool } = FLAGS.image) {
  for (const name of [...value, ...bool]) {
    if (name.length < 2 || name in flags) continue;
    const raw = process.env[`TRIVY_${name.toUpperCase().replaceAll('-', '_')}`];
    if (raw === undefined) continue;
    flags[name] = bool.has(name) ? !['false', '0', 'f', 'F', 'FALSE', ''].includes(raw) : raw;
  }
  const file = flags.config ?? flags.c ?? 'trivy.yaml';
  if (existsSync(file) && value.has('exit-code') && flags['exit-code'] === undefined) {
    const code = /^exit-code:\s*(\d+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (code !== undefined) flags['exit-code'] = code;
  }
  return flags;
}

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

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Whether a DB folder needs a download, as Trivy decides (pkg/db/db.go NeedsUpdate): no DB or
 * no metadata, another schema, or never downloaded (DownloadedAt zero); otherwise only once
 * NextUpdate has passed and the last download is an hour old. `config.dbAlwaysStale` makes every
 * DB stale (the next day's run, in one test).
 */
function needsDownload(dir, schema) {
  let meta;
  try {
    meta = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
  } catch {
    return true;
  }
  if (meta.Version !== schema || !meta.DownloadedAt || meta.DownloadedAt === ZERO_TIME) return true;
  if (config.dbAlwaysStale) return true;
  const now = Date.now();
  return now >= Date.parse(meta.NextUpdate) && now >= Date.parse(meta.DownloadedAt) + 3600e3;
}

function writeMetadata(dir, schema) {
  const now = new Date();
  writeFileSync(
    path.join(dir, 'metadata.json'),
    JSON.stringify({
      Version: schema,
      NextUpdate: new Date(now.getTime() + 6 * 3600e3).toISOString(),
      UpdatedAt: now.toISOString(),
      DownloadedAt: now.toISOString(),
    }),
  );
}

/**
 * Download the vulnerability DB into the cache dir, when it needs one. `wrap` is what the command
 * puts before Trivy's own error: `trivy image` says "run error: init error: DB error: ", the
 * server nothing.
 */
export async function downloadDb(cacheDir, wrap = 'run error: init error: DB error: ') {
  if (existsSync(dbPath(cacheDir)) && !needsDownload(path.dirname(dbPath(cacheDir)), 2)) return;
  if (config.offline) {
    fatal(
      `${wrap}failed to download vulnerability DB: OCI artifact error: failed to download vulnerability DB: failed to download artifact from mirror.gcr.io/aquasec/trivy-db:2: OCI repository error: 1 error occurred:\n\t* Get "https://mirror.gcr.io/v2/aquasec/trivy-db/manifests/2": dial tcp: lookup mirror.gcr.io: no such host`,
    );
  }
  await sleep(config.dbDownloadMs ?? 200);
  // Trivy deletes the folder and unpacks the new DB into it, with no lock between processes.
  rmSync(path.dirname(dbPath(cacheDir)), { recursive: true, force: true });
  mkdirSync(path.dirname(dbPath(cacheDir)), { recursive: true });
  writeFileSync(dbPath(cacheDir), 'stand-in trivy-db v2\n');
  writeMetadata(path.dirname(dbPath(cacheDir)), 2);
  noted.downloads.push('db');
}

export const JAVA_DB_FIRST_RUN = "'--skip-java-db-update' cannot be specified on the first run";

/**
 * The Java DB (<cache>/java-db), which a scan needs when the image has jar files: downloaded by
 * the scan itself unless --skip-java-db-update, which fails on a cache without one.
 */
export async function javaDb(cacheDir, skip, wrap) {
  const dir = path.join(cacheDir, 'java-db');
  const have = existsSync(path.join(dir, 'metadata.json'));
  if (skip && !have) fatal(`${wrap}Java DB update failed: ${JAVA_DB_FIRST_RUN}`);
  if (skip || !needsDownload(dir, 1)) return;
  if (config.offline)
    fatal(
      `${wrap}Java DB update failed: OCI artifact error: failed to download Java DB: failed to download artifact from mirror.gcr.io/aquasec/trivy-java-db:1: OCI repository error: 1 error occurred:\n\t* Get "https://mirror.gcr.io/v2/aquasec/trivy-java-db/manifests/1": dial tcp: lookup mirror.gcr.io: no such host`,
    );
  await sleep(config.javaDbDownloadMs ?? 100);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'trivy-java.db'), 'stand-in trivy-java-db v1\n');
  writeMetadata(dir, 1);
  noted.downloads.push('java-db');
}

/** `--skip-db-update` on a cache without a DB (trivy.db and metadata.json): Trivy refuses (pkg/db/db.go). */
export function requireDb(cacheDir, wrap = 'run error: init error: DB error: ') {
  const meta = path.join(path.dirname(dbPath(cacheDir)), 'metadata.json');
  if (!existsSync(dbPath(cacheDir)) || !existsSync(meta))
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
