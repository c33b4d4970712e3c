// Another local process takes the private trivy server's port before Trivy binds it, answers
// /healthz and, if it were believed, would be sent the token with every scan and could make any
// image look clean. The scan must not believe it: the socket must be held by the server it started.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { writeFleet } from '../helpers/fleet.ts';
import { STANDIN, processesWith, reportCounts } from '../helpers/standin.ts';

/** Watches for `trivy server --listen 127.0.0.1:<port>` of `cacheDir` and takes the port first. */
function startImpostor(cacheDir: string) {
  const requests: Array<{ url: string; token: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', token: req.headers['trivy-token'] as string | undefined });
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    // Twirp, forged: no layer is missing, and the image is clean.
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      req.url?.endsWith('/Scan')
        ? '{"os":null,"results":[]}'
        : '{"missing_artifact":false,"missing_blob_ids":[]}',
    );
  });
  let stop = false;
  const taken = (async () => {
    while (!stop) {
      for (const pid of processesWith(`--cache-dir ${cacheDir} --skip-db-update`)) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const listen = cmd[cmd.indexOf('--listen') + 1];
        if (cmd.includes('server') && listen) {
          const port = Number(listen.split(':')[1]);
          await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
          return port;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return 0;
  })();
  return {
    requests,
    taken,
    close: () => {
      stop = true;
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("the private trivy server's port", () => {
  it('taken by another process: not believed, the token never sent there, the findings real', async () => {
    const dataDir = makeDataDir();
    const cacheDir = path.join(dataDir, 'trivy-server-cache');
    const env = {
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: writeFleet(dataDir, { layerCpuMs: 5, serverListenDelayMs: 1500 }, [
        {
          ref: 'nginx:1.27.3',
          behaviour: { report: 'debian-buster', ms: 10, layers: ['debian-12', 'nginx'] },
          on: { server: 1 },
        },
      ]),
      TRIVY_SCAN_TIMEOUT: '100s',
      HOME: dataDir,
    };
    const impostor = startImpostor(cacheDir);
    try {
      const run = await runCli(['scan'], env);
      expect(await impostor.taken).toBeGreaterThan(0);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /the private trivy server failed \(127\.0\.0\.1:\d+ was taken by another process before the server could listen there; the token was not sent to it\); restarting it once/,
      );
      // The restart, on another port, is the scan's server: the findings are the report's.
      const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
      expect(Object.values(db.scans)[0]).toMatchObject({
        status: 'scanned',
        summary: reportCounts('debian-buster'),
      });
      // The impostor was asked nothing with a token, and no Twirp call at all.
      expect(impostor.requests.filter((r) => r.token !== undefined)).toEqual([]);
      expect(impostor.requests.filter((r) => r.url.startsWith('/twirp/'))).toEqual([]);
    } finally {
      await impostor.close();
    }
  });
});
