import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where pages load the client script from, relative to the site root. */
export const CLIENT_SCRIPT = 'assets/dockpeek.js';

/**
 * Bundle src/client/ into one classic script file. Classic, not a module: module scripts do not
 * load from file://. A file, not inline: the CSP can then forbid inline scripts.
 */
export async function writeClientScript(projectRoot: string, outDir: string): Promise<void> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(projectRoot, 'src', 'client', 'main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const file = path.join(outDir, CLIENT_SCRIPT);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, result.outputFiles[0]!.contents);
}

/** Where the search index is written, beside the client script that loads it. */
export const SEARCH_INDEX = 'assets/search-index.js';

/**
 * The search index as a classic script assigning one global: a script, not JSON fetched with
 * fetch(), because pages opened from file:// may not fetch. JSON is a valid JS expression.
 */
export async function writeSearchIndex(outDir: string, index: unknown): Promise<void> {
  const file = path.join(outDir, SEARCH_INDEX);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `window.dockpeekSearch=${JSON.stringify(index)};\n`);
}
