import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockpeekError, describeError } from '../errors.ts';

/** The project root, where astro.config.mjs and src/ live. */
export const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Set for one build only (see history-pages.ts). */
const PER_BUILD = ['DOCKPEEK_CODE_HASH', 'DOCKPEEK_HISTORY_PLAN', 'DOCKPEEK_PREVIOUS_RELEASE'];

/**
 * Render the store in `dataDir` into a static site in `outDir` with Astro, in this process.
 * Pages read the store through DOCKPEEK_DATA_DIR (and `env`); the output folder is created fresh.
 */
export async function buildSite(
  dataDir: string,
  outDir: string,
  env: Record<string, string> = {},
): Promise<void> {
  for (const key of PER_BUILD) delete process.env[key];
  Object.assign(process.env, env);
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  process.env.DOCKPEEK_DATA_DIR = dataDir;
  process.env.DOCKPEEK_BUILD_DIR = outDir;
  const { build } = await import('astro');
  try {
    await build({ root: PROJECT_ROOT, outDir, logLevel: 'error', mode: 'production' });
  } catch (error) {
    throw new DockpeekError(
      'build_failed',
      `the site build failed: ${describeError(error)}`,
      'Run with DEBUG=astro:* for details, and report it.',
    );
  }
}
