import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './dockerd.ts';
import { findClosedPort } from './recording-proxy.ts';

/** A real nginx on 127.0.0.1 serving `root` at / and at /dockpeek/ (a sub-path). */
export interface TestNginx {
  port: number;
  /** The configuration file it runs with. */
  conf: string;
  prefix: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Start nginx; `serverBlock`, when given, replaces the default server (its `listen` and `root`
 * lines are rewritten to the test port and folder).
 */
export async function startNginx(root: string, serverBlock?: string): Promise<TestNginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'dpk-nginx-'));
  mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  const port = await findClosedPort();
  const conf = path.join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `user root;
worker_processes 1;
error_log ${prefix}/error.log;
pid ${prefix}/nginx.pid;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  ${
    serverBlock
      ? serverBlock
          .replace(/^\s*listen .*$/m, `listen 127.0.0.1:${port};`)
          .replace(/^\s*root .*$/m, `root ${root};`)
      : `server {
    listen 127.0.0.1:${port};
    root ${root};
    location /dockpeek/ { alias ${root}/; }
  }`
  }
}
`,
  );
  const child: ChildProcess = spawn('nginx', ['-c', conf, '-p', prefix, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/`)).status > 0,
    15_000,
    `nginx did not start: ${stderr}`,
  );
  return {
    port,
    conf,
    prefix,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}
