// A private dockerd (the test suite's, TOOLCHAIN.md) with a generated fleet: `images` busybox
// imports and any number of created containers labelled like a real homelab (compose projects,
// dockpeek anchors and dependents, traefik labels and env secrets that must never be stored).
import { mkdtempSync } from 'node:fs';
import type Docker from 'dockerode';
import { startDockerd, type TestDaemon } from '../../test/helpers/dockerd.ts';
import { busyboxTar, importImage } from '../../test/helpers/homelab.ts';

export interface Lab {
  daemon: TestDaemon;
  images: string[];
  /** Containers created so far. */
  size: number;
  /** Create containers until the daemon has `total`. */
  growTo(total: number): Promise<void>;
}

export async function startLab(imageCount: number): Promise<Lab> {
  // /tmp keeps the socket path short (unix sockets allow 108 bytes).
  const daemon = await startDockerd(mkdtempSync('/tmp/dpk-bench-d-'));
  const images: string[] = [];
  try {
    for (let i = 0; i < imageCount; i++) {
      const ref = `bench/app-${i}:1.${i}`;
      await importImage(daemon.docker, busyboxTar(daemon.dir, `app${i}`), ref);
      images.push(ref);
    }
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  const lab: Lab = {
    daemon,
    images,
    size: 0,
    async growTo(total) {
      const pending: Array<Promise<unknown>> = [];
      for (let i = lab.size; i < total; i++) {
        pending.push(createMember(daemon.docker, i, images));
        if (pending.length >= 4) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
      lab.size = Math.max(lab.size, total);
    },
  };
  return lab;
}

/** Container i: every tenth an anchor, the next three its dependents, all in compose projects. */
function createMember(docker: Docker, i: number, images: string[]) {
  const anchor = `app-${i - (i % 10)}`;
  const role = i % 10 === 0 ? 'anchor' : i % 10 <= 3 ? 'dependent' : undefined;
  return docker.createContainer({
    name: `app-${i}`,
    Image: images[i % images.length],
    Cmd: ['sleep', '3600'],
    Env: [`DB_PASSWORD=secret-${i}`, 'TZ=Europe/Berlin'],
    Labels: {
      'com.docker.compose.project': `stack-${Math.floor(i / 10)}`,
      'com.docker.compose.service': `app-${i}`,
      [`traefik.http.routers.app-${i}.rule`]: `Host(\`app-${i}.lan\`)`,
      ...(role && { 'dockpeek.role': role }),
      ...(role === 'dependent' && { 'dockpeek.anchor': anchor }),
    },
    HostConfig: { NetworkMode: 'none' },
  });
}
