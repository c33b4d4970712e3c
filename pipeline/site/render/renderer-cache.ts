import { createHash } from 'node:crypto';
import { access, mkdir, readFile, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../../process-alive.ts';
import { PROJECT_ROOT } from '../../project-root.ts';
import { RENDERER_ENTRY } from './compile-renderer.ts';

const RENDERER = /^\.renderer-([0-9a-f]{16})$/;
const COMPILING = /^\.compiling-(\d+)-\d+$/;

/** What the compiled renderer depends on: the code, the installed packages and Node. */
export async function rendererKey(codeHash: string, projectRoot = PROJECT_ROOT): Promise<string> {
  const lock = await readFile(path.join(projectRoot, 'package-lock.json')).catch(() => '');
  return createHash('sha256')
    .update(codeHash)
    .update(lock)
    .update(process.version)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The compiled renderer for this version of the code, in the site's releases folder: reused when
 * it is there, else compiled once by `compile` into a folder of its own and renamed into place
 * (a concurrent build that got there first wins; ours is dropped). Older renderers are removed.
 */
export async function ensureRenderer(
  releases: string,
  codeHash: string,
  compile: (paths: { outDir: string; workDir: string }) => Promise<void>,
): Promise<{ dir: string; compiled: boolean }> {
  const key = await rendererKey(codeHash);
  const dir = path.join(releases, `.renderer-${key}`);
  if (await exists(path.join(dir, RENDERER_ENTRY))) return { dir, compiled: false };
  const workDir = path.join(releases, `.compiling-${process.pid}-${Date.now()}`);
  await mkdir(workDir);
  try {
    // The compile resolves packages from its work folder, the renderer from its own folder.
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(workDir, 'node_modules'));
    const outDir = path.join(workDir, 'renderer');
    await compile({ outDir, workDir });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(outDir, 'node_modules'));
    await rename(outDir, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await exists(path.join(dir, RENDERER_ENTRY)))) throw error;
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  await pruneRenderers(releases, key);
  return { dir, compiled: true };
}

/** Drop renderers of other code versions and compiles whose process is gone. */
async function pruneRenderers(releases: string, key: string): Promise<void> {
  for (const entry of await readdir(releases)) {
    const renderer = RENDERER.exec(entry);
    const compiling = COMPILING.exec(entry);
    const stale = renderer
      ? renderer[1] !== key
      : compiling !== null && !isProcessAlive(Number(compiling[1]));
    if (stale) await rm(path.join(releases, entry), { recursive: true, force: true });
  }
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
