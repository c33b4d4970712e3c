import path from 'node:path';
import type { SiteInput } from '../model/build-model.ts';

const MODULE_ID = 'virtual:dockpeek/site';
const RESOLVED_ID = '\0dockpeek-site';
const INPUT_KEY = Symbol.for('dockpeek.site-input');

/**
 * Render the pages with Astro, in this process. The pages import `virtual:dockpeek/site`, which
 * hands them the validated model: no environment variable and no file carries it.
 */
export async function renderWithAstro(
  input: SiteInput,
  paths: { projectRoot: string; outDir: string; workDir: string },
): Promise<void> {
  (globalThis as Record<symbol, unknown>)[INPUT_KEY] = input;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  await build(
    {
      root: paths.projectRoot,
      outDir: paths.outDir,
      // Caches in the build's own work folder: concurrent builds never share one.
      cacheDir: path.join(paths.workDir, 'cache'),
      configFile: false,
      output: 'static',
      // Two pages at a time: a snapshot page waits ~20 ms on reading its archive and findings
      // files, time the other page renders in (1,000 × 365: 33 s → 28 s; 3 at once gains no more).
      build: { format: 'file', inlineStylesheets: 'always', concurrency: 2 },
      trailingSlash: 'ignore',
      devToolbar: { enabled: false },
      logLevel: 'error',
      mode: 'production',
      vite: { logLevel: 'warn', plugins: [siteInputPlugin()] },
    },
    // No `astro sync`: it would write .astro/ types into the project. (An option Astro's
    // build() reads but does not declare.)
    { sync: false } as unknown as Parameters<typeof build>[1],
  );
}

/** The Vite plugin behind `virtual:dockpeek/site`. */
function siteInputPlugin() {
  return {
    name: 'dockpeek:site-input',
    resolveId: (id: string) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id: string) =>
      id === RESOLVED_ID
        ? [
            `const input = globalThis[Symbol.for('dockpeek.site-input')];`,
            `if (!input) throw new Error('the site model exists only inside dockpeek-security build');`,
            `export const model = input.model;`,
            `export const historyPage = (id) => input.historyPage(id);`,
          ].join('\n')
        : undefined,
  };
}
