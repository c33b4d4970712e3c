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
