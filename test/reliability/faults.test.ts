import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { writeFleet } from '../helpers/fleet.ts';
import { STANDIN } from '../helpers/standin.ts';

/** A fake Docker API on 127.0.0.1 that fails in a chosen way after answering /_ping. */
async function faultyHost(fault: 'http500' | 'close-mid-response' | 'garbage-json') {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/_ping')) {
      res.end('OK');
      return;
    }
    if (fault === 'http500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"message":"Internal error: database is locked"}');
      return;
    }
    if (fault === 'garbage-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"Id": [');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    res.write('[{"Id":"0123456789ab');
    setTimeout(() => res.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('faults: a Docker host that breaks mid-conversation', () => {
  const hosts: Array<{ close(): Promise<unknown> }> = [];
  afterAll(() => Promise.all(hosts.map((h) => h.close())));

  it.each([
    ['http500', 'http_error', 'Docker API answered HTTP 500: Internal error: database is locked'],
    // Cut short is seen at once (Content-Length unmet), not at the read deadline.
    [
      'close-mid-response',
      'connection_reset',
      'the connection closed after 20 of 100000 bytes of the answer to GET /containers/json',
    ],
    ['garbage-json', 'invalid_response', 'the answer is not a JSON array (GET /containers/json)'],
  ] as const)('%s: recorded with its reason, exit 2, no crash', async (fault, code, message) => {
    const host = await faultyHost(fault);
    hosts.push(host);
    const dataDir = makeDataDir();
    const run = await runCli(['snapshot', '--timeout', '2s'], {
      DOCKER_HOST: host.url,
      DOCKER_HOST_NAME: 'flaky',
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).not.toContain('unexpected failure');
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    expect(db.snapshot!.hosts[0]).toMatchObject({
      name: 'flaky',
      ok: false,
      error: message,
      errorCode: code,
    });
    expect(run.stderr).toContain(`${message} [${code}]`);
  });
});

describe('faults: trivy killed by the OOM killer', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = makeDataDir();
  });

  it('records scan_failed with the signal, never zero vulnerabilities', async () => {
    const config = writeFleet(dataDir, {}, [
      { ref: 'big/image:1', behaviour: { oom: true } as never, on: { server: 1 } },
    ]);
    const run = await runCli(['scan'], {
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      HOME: dataDir,
    });
    expect(run.exitCode).toBe(2);
    const exported = JSON.parse((await runCli(['export'], { DOCKPEEK_DATA_DIR: dataDir })).stdout);
    expect(exported.containers[0].security).toMatchObject({
      status: 'failed',
      findings: null,
      error: {
        code: 'scan_failed',
        message: 'trivy was killed by SIGKILL (out of memory? the kernel OOM killer sends SIGKILL)',
      },
    });
  });
});
