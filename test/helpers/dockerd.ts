import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';

/** A private Docker daemon for one test run (TOOLCHAIN.md). */
export interface TestDaemon {
  dir: string;
  socket: string;
  docker: Docker;
  stop(): Promise<void>;
}

/**
 * Start dockerd on its own socket and data root; fails with the install hint when it can't.
 * `extraArgs` adds listeners and their TLS settings (a second -H tcp://… with --tlsverify).
 */
export async function startDockerd(dir: string, extraArgs: string[] = []): Promise<TestDaemon> {
  if (!existsSync('/usr/sbin/dockerd') && !existsSync('/usr/bin/dockerd')) {
    throw new Error(
      'integration tests need dockerd: apt-get install -y docker.io busybox-static (as root)',
    );
  }
  if (process.getuid?.() !== 0)
    throw new Error('integration tests start a private dockerd and must run as root');
  // Short paths: unix socket paths are limited to 108 bytes.
  await mkdir(dir, { recursive: true });
  const socket = path.join(dir, 'docker.sock');
  const log = openSync(path.join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [
      '--host',
      `unix://${socket}`,
      '--data-root',
      path.join(dir, 'root'),
      '--exec-root',
      path.join(dir, 'exec'),
      '--pidfile',
      path.join(dir, 'docker.pid'),
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      '--storage-driver=vfs',
      ...extraArgs,
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  child.unref();
  const docker = new Docker({ socketPath: socket });
  await waitFor(
    async () => (await docker.ping(), true),
    60_000,
    `dockerd did not answer on ${socket}; see ${dir}/dockerd.log`,
  );
  return {
    dir,
    socket,
    docker,
    async stop() {
      const all = await docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(
        all.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => {}),
        ),
      );
      const pid = Number(
        await readFile(path.join(dir, 'docker.pid'), 'utf8').catch(() => String(child.pid)),
      );
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      const gone = await waitFor(async () => !isAlive(pid), 30_000, '').catch(() => false);
      if (!gone) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Poll until check() is truthy or the deadline passes. */
export async function waitFor(
  check: () => Promise<boolean>,
  ms: number,
  message: string,
): Promise<true> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(message || 'timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
