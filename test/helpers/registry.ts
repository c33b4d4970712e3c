import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './dockerd.ts';
import { findClosedPort } from './recording-proxy.ts';

/** A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1. */
export interface TestRegistry {
  host: string;
  stop(): Promise<void>;
}

/** Start a registry; with `auth`, it demands that user and password (htpasswd, bcrypt). */
export async function startRegistry(auth?: {
  username: string;
  password: string;
}): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-registry-'));
  const port = await findClosedPort();
  let authBlock = '';
  if (auth) {
    const file = path.join(dir, 'htpasswd');
    writeFileSync(file, execFileSync('htpasswd', ['-Bbn', auth.username, auth.password]));
    authBlock = `auth:\n  htpasswd:\n    realm: dockpeek-test\n    path: ${file}\n`;
  }
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authBlock}`,
  );
  const child = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  await waitFor(
    async () => [200, 401].includes((await fetch(`http://127.0.0.1:${port}/v2/`)).status),
    20_000,
    `docker-registry did not start: ${stderr}`,
  );
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
