// Real TLS: two private dockerds with --tlsverify on 127.0.0.1 (one with a valid server
// certificate, one with an expired one), certificates from a throw-away openssl CA, read by the
// real CLI beside the test daemon's unix socket.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import type { HostErrorCode } from '../../pipeline/vocabulary.ts';
import { makeDataDir, readTree, runCli } from '../helpers/cli.ts';
import { startDockerd, type TestDaemon } from '../helpers/dockerd.ts';
import { busyboxTar, importImage } from '../helpers/homelab.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';
import { certPath, createCa, issue, type TestCa } from '../helpers/tls-certs.ts';

describe('TLS hosts against real dockerds with --tlsverify', () => {
  let root: string;
  let ca: TestCa;
  const daemons: TestDaemon[] = [];
  const ports = { valid: 0, expired: 0 };
  const dirs: Record<'right' | 'wrongCa' | 'strangerClient', string> = {
    right: '',
    wrongCa: '',
    strangerClient: '',
  };

  beforeAll(async () => {
    root = mkdtempSync('/tmp/dpk-tls-');
    ca = createCa(path.join(root, 'ca'), 'dpk-test-ca');
    const other = createCa(path.join(root, 'other-ca'), 'dpk-other-ca');
    const issued = path.join(root, 'issued');
    const server = issue(ca, issued, 'server', 'server');
    const expired = issue(ca, issued, 'expired', 'server', {
      start: '20200101000000Z',
      end: '20200102000000Z',
    });
    const client = issue(ca, issued, 'client', 'client');
    dirs.right = certPath(path.join(root, 'right'), ca, client);
    dirs.wrongCa = certPath(path.join(root, 'wrong-ca'), other, client);
    dirs.strangerClient = certPath(
      path.join(root, 'stranger'),
      ca,
      issue(other, issued, 'stranger', 'client'),
    );
    ports.valid = await findClosedPort();
    ports.expired = await findClosedPort();
    const tls = (port: number, cert: { cert: string; key: string }) =>
      ['--tlsverify', '--tlscacert', ca.cert, '--tlscert', cert.cert, '--tlskey', cert.key].concat([
        '-H',
        `tcp://127.0.0.1:${port}`,
      ]);
    daemons.push(
      ...(await Promise.all([
        startDockerd(path.join(root, 'd1'), tls(ports.valid, server)),
        startDockerd(path.join(root, 'd2'), tls(ports.expired, expired)),
      ])),
    );
    const docker = daemons[0]!.docker;
    await importImage(docker, busyboxTar(daemons[0]!.dir, 'tls'), 'busybox:tls');
    await docker.createContainer({
      name: 'tls-web',
      Image: 'busybox:tls',
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
  }, 180_000);
  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  /** The lab over its unix socket, plus "vps" over TLS with the given cert folder. */
  async function snapshot(port: number, certDir: string) {
    const dataDir = makeDataDir();
    const run = await runCli(['snapshot'], {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKER_HOST_1_URL: `tcp://127.0.0.1:${port}`,
      DOCKER_HOST_1_NAME: 'vps',
      DOCKER_HOST_1_CERT_PATH: certDir,
      DOCKPEEK_DATA_DIR: dataDir,
      HOME: dataDir,
    });
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    const names = (host: string) =>
      db.snapshot!.containers.filter((c) => c.host === host).map((c) => c.name);
    return { run, db, names, dataDir };
  }

  it('reads the host with the right CA and a client certificate it signed', async () => {
    const { run, db, names } = await snapshot(ports.valid, dirs.right);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(db.snapshot!.hosts.find((h) => h.name === 'vps')).toMatchObject({ ok: true });
    expect(names('vps')).toEqual(['tls-web']);
    expect(names('lab')).toHaveLength(17);
  });

  it.each<[string, () => [number, string], HostErrorCode, RegExp]>([
    [
      'a CA that did not sign the daemon',
      () => [ports.valid, dirs.wrongCa],
      'tls_untrusted',
      /^the host's TLS certificate is not signed by the CA we trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): DOCKER_CERT_PATH\/ca\.pem must be/,
    ],
    [
      'an expired server certificate',
      () => [ports.expired, dirs.right],
      'tls_expired',
      /^the host's TLS certificate has expired \(CERT_HAS_EXPIRED\): renew the daemon's --tlscert/,
    ],
    [
      'a client certificate the daemon does not trust',
      () => [ports.valid, dirs.strangerClient],
      'tls_error',
      /^the host refused our client certificate \(ERR_SSL_[\w/]+\): cert\.pem in DOCKER_CERT_PATH must be signed/,
    ],
  ])('%s: coded, the lab still read, exit 2', async (_title, target, code, message) => {
    const [port, certDir] = target();
    const { run, db, names, dataDir } = await snapshot(port, certDir);
    expect(run.exitCode, run.stderr).toBe(2);
    const vps = db.snapshot!.hosts.find((h) => h.name === 'vps')!;
    expect(vps).toMatchObject({ ok: false, errorCode: code });
    expect(vps.error).toMatch(message);
    expect(run.stderr).toContain(`[${code}]`);
    expect(names('lab')).toHaveLength(17);
    // The private key stays in its file: not in the output, not in the store.
    const key = readFileSync(path.join(certDir, 'key.pem'), 'utf8').split('\n')[1]!;
    expect(run.stderr + run.stdout).not.toContain(key);
    for (const { text } of readTree(dataDir)) expect(text).not.toContain(key);
  });
});
