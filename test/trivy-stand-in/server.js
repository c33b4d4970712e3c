// `trivy server` of the stand-in: the documented client/server mode (docs/guide/references/modes/
// client-server.md) in the order of pkg/commands/server/run.go — open the scan cache (the fs cache
// lock), download the DB (or require one with --skip-db-update), then listen. GET /healthz answers
// "ok" without a token; the Twirp routes check the token header first (pkg/rpc/server/listen.go).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  config,
  defaultCacheDir,
  downloadDb,
  fatal,
  lockFsCache,
  log,
  readReport,
  requireDb,
  sleep,
  version,
} from './common.js';
import { burnCpu, createCache } from './layers.js';

const CACHE = '/twirp/trivy.cache.v1.Cache/';
const SCANNER = '/twirp/trivy.scanner.v1.Scanner/';
// Twirp's HTTP status per error code.
const STATUS = { unauthenticated: 401, internal: 500, bad_route: 404, malformed: 400 };

export async function runServer(flags) {
  const cacheDir = flags['cache-dir'] ?? defaultCacheDir();
  const listen = flags.listen ?? 'localhost:4954';
  const token = flags.token ?? process.env.TRIVY_TOKEN ?? '';
  const tokenHeader = (flags['token-header'] ?? 'Trivy-Token').toLowerCase();
  const backend = flags['cache-backend'] ?? 'fs';
  if (backend === 'fs') await lockFsCache(cacheDir, 'server cache error: ');
  if (flags['skip-db-update']) requireDb(cacheDir, '');
  else await downloadDb(cacheDir, '');
  if (flags['download-db-only']) return log({ exit: 0, downloaded: true });
  if (config.serverHang) return hang();
  // A DB that takes a while to open (Trivy opens its cache and DB before it listens): the window
  // in which another process can take the port.
  if (config.serverListenDelayMs) await sleep(config.serverListenDelayMs);

  const cache = createCache(cacheDir, backend);
  const state = { scans: 0 };
  const server = http.createServer((req, res) => {
    handle(req, res, { cache, cacheDir, token, tokenHeader, state }).catch((error) =>
      twirpError(res, 'internal', String(error)),
    );
  });
  // Trivy's http.Server sets only ReadHeaderTimeout: idle connections are never closed (Node
  // closes them after 5 s, and a client analysing a layer longer than that would read EOF).
  server.keepAliveTimeout = 0;
  const at = listen.lastIndexOf(':');
  server.once('error', (error) =>
    fatal(
      `server error: listen tcp ${listen}: bind: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`,
    ),
  );
  server.listen(Number(listen.slice(at + 1)), listen.slice(0, at) || undefined, () =>
    log({ server: true, listening: listen }),
  );
  // Trivy cancels its context on SIGTERM/SIGINT and shuts the server down gracefully: no new
  // connections, in-flight requests finish (30 s at most), then exit 0; a second signal kills it
  // (commands.NotifyContext, pkg/rpc/server/listen.go).
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'])
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      const done = () => {
        log({ server: true, exit: 0, scans: state.scans });
        process.exit(0);
      };
      server.close(done);
      server.closeIdleConnections();
      setTimeout(done, 30_000).unref();
    });
}

async function handle(req, res, context) {
  const { cache, token, tokenHeader, state } = context;
  if (req.method === 'GET' && req.url === '/healthz') return res.end('ok');
  if (req.method === 'GET' && req.url === '/version') {
    const db = JSON.parse(readFileSync(path.join(context.cacheDir, 'db', 'metadata.json'), 'utf8'));
    return json(res, { Version: version, VulnerabilityDB: db });
  }
  const method = req.url.startsWith(CACHE)
    ? req.url.slice(CACHE.length)
    : req.url.startsWith(SCANNER)
      ? req.url.slice(SCANNER.length)
      : undefined;
  if (req.method !== 'POST' || !method)
    return twirpError(res, 'bad_route', `no handler for path "${req.url}"`);
  if (token && req.headers[tokenHeader] !== token)
    return twirpError(res, 'unauthenticated', 'invalid token');
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (method === 'MissingBlobs')
    return json(res, cache.missing(body.artifact_id, body.blob_ids ?? []));
  if (method === 'PutBlob') return json(res, void cache.putBlob(body.diff_id, body.blob_info));
  if (method === 'PutArtifact')
    return json(res, void cache.putArtifact(body.artifact_id, body.artifact_info));
  if (method === 'DeleteBlobs') return json(res, {});
  if (method !== 'Scan') return twirpError(res, 'bad_route', `no handler for path "${req.url}"`);

  const missing = (body.blob_ids ?? []).find((key) => !cache.getBlob(key));
  if (missing)
    return twirpError(
      res,
      'internal',
      `failed scan, ${body.target}: failed to apply layers: layer cache missing: ${missing}`,
    );
  const result = detect(body.target);
  state.scans += 1;
  log({ server: true, scanned: body.target, blobs: (body.blob_ids ?? []).length });
  json(res, result);
  // A server that dies on demand, for the tests of the product's restart and fallback.
  if (config.serverExitAfterScans && state.scans >= config.serverExitAfterScans) {
    res.once('finish', () => {
      process.stderr.write('panic: stand-in server exits on demand (serverExitAfterScans)\n');
      log({ server: true, exit: 2, crashed: true, scans: state.scans });
      process.exit(2);
    });
  }
}

/**
 * Matching the cached packages against the DB: cheap next to analysing layers. The findings are
 * those of the image's fixture report (the stand-in keeps no packages in its blobs).
 */
export function detect(target) {
  burnCpu(config.detectCpuMs ?? 2);
  const spec = config.images?.[target] ?? config.default ?? {};
  const report = readReport(target, spec.report ?? 'sl-micro-rancher5.4');
  return { os: report.Metadata?.OS ?? null, results: report.Results ?? [] };
}

function json(res, value) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value ?? {}));
}

function twirpError(res, code, msg) {
  res.writeHead(STATUS[code] ?? 500, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ code, msg }));
}

/** A server stuck before it listens (a DB that never opens); SIGTERM does not end it. */
async function hang() {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});
  log({ server: true, hang: true });
  setInterval(() => {}, 1 << 30);
  await new Promise(() => {});
}
