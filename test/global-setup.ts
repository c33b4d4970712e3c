import { mkdtempSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDockerd } from './helpers/dockerd.ts';
import { createHomelab } from './helpers/homelab.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the private test daemon's socket. */
    dockerSocket: string;
  }
}

/** Start one private dockerd with the homelab for all Docker tests; tear it down after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // /tmp keeps the socket path short (unix sockets allow 108 bytes).
  const daemon = await startDockerd(mkdtempSync('/tmp/dpk-dockerd-'));
  try {
    await createHomelab(daemon.docker, daemon.dir);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  project.provide('dockerSocket', daemon.socket);
  return () => daemon.stop();
}
