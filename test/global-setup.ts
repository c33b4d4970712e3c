import { mkdtempSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDockerd } from './helpers/dockerd.ts';
import { createHomelab } from './helpers/homelab.ts';
import { realTools, findRealTools } from './real-trivy/tools.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the private test daemon's socket. */
    dockerSocket: string;
  }
}

/** Start one private dockerd with the homelab for all Docker tests; tear it down after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The real-Trivy tests: in CI a missing binary fails the run here; elsewhere one line says why
  // they are skipped.
  if (!realTools()) {
    const found = findRealTools();
    if ('missing' in found) console.log(`real-Trivy tests skipped: ${found.missing}`);
  }
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
