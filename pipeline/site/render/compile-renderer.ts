import path from 'node:path';
import { writeClientScript } from './client-bundle.ts';
import { siteInputPlugin } from './site-input.ts';

/** The compiled renderer's module, under its folder; it exports `renderPage`. */
export const RENDERER_ENTRY = path.join('server', 'entry.mjs');

const ADAPTER = 'dockpeek-renderer';

/**
 * Compile the pages once per version of the code: Astro bundles src/ for on-demand rendering
 * (an adapter of our own, whose entry is server-entry.ts), and esbuild bundles the client script.
 * Builds then render the model with this, without loading Vite or a bundler.
 */
export async function compileRenderer(paths: {
  projectRoot: string;
  outDir: string;
  workDir: string;
}): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  const serverEntrypoint = path.join(
    paths.projectRoot,
    'pipeline',
    'site',
    'render',
    'server-entry.ts',
  );
  await build(
    {
      root: paths.projectRoot,
      outDir: paths.outDir,
      // Caches in the compile's own work folder: concurrent compiles never share one.
      cacheDir: path.join(paths.workDir, 'cache'),
      configFile: false,
      output: 'server',
      adapter: {
        name: ADAPTER,
        hooks: {
          'astro:config:done': ({ setAdapter }) =>
            setAdapter({
              name: ADAPTER,
              entrypointResolution: 'auto',
              serverEntrypoint,
              supportedAstroFeatures: { serverOutput: 'stable', staticOutput: 'stable' },
            }),
        },
      },
      // No images to optimise: nothing loads sharp.
      image: { service: { entrypoint: 'astro/assets/services/noop' } },
      build: { format: 'file', inlineStylesheets: 'always' },
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
  // Bundled once with the pages; each build copies it into its release.
  await writeClientScript(paths.projectRoot, paths.outDir);
}
