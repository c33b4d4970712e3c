import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, readFile, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../../process-alive.ts';
import { PROJECT_ROOT } from '../../project-root.ts';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import { makePrivateCacheDir } from '../../user-cache-dir.mjs';
import { RENDERER_ENTRY } from './compile-renderer.ts';

const RENDERER = /^\.renderer-([0-9a-f]{16})$/;
const COMPILING = /^\.compiling-(\d+)-\d+$/;
const INSTALL = /^[0-9a-f]{16}$/;
/** In an install's folder of the cache: the project it belongs to, so a removed one is found. */
const PROJECT_FILE = 'project';
/** A compile's folder is left to its process this long, even one that looks dead (another host). */
const COMPILE_GRACE_MS = 10 * 60_000;

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
 * Where this install keeps its renderer: `renderers/<hash of the project path>/` in the user's
 * cache folder (pipeline/user-cache-dir.mjs), so every site dir and every `demo` of one install
 * shares one compile. The renderer is code the build runs, so only from folders that are the
 * user's own and that no one else can write to or swap (makePrivateCacheDir). Undefined without
 * such a folder: the site's releases folder holds the renderer then, as it did before there was
 * a cache.
 */
export async function rendererHome(
  env: NodeJS.ProcessEnv,
  projectRoot = PROJECT_ROOT,
): Promise<string | undefined> {
  const install = createHash('sha256').update(projectRoot).digest('hex').slice(0, 16);
  const home = makePrivateCacheDir(env, 'renderers', install);
  if (!home) return undefined;
  const renderers = path.dirname(home);
  try {
    await access(home, constants.W_OK);
    const project = path.join(home, PROJECT_FILE);
    if ((await readFile(project, 'utf8').catch(() => '')) !== `${projectRoot}\n`)
      await writeFileAtomic(project, `${projectRoot}\n`);
  } catch {
    // Read-only, full or otherwise unusable: only an optimisation is lost.
    return undefined;
  }
  await pruneRemovedInstalls(renderers, install).catch(() => undefined);
  return home;
}

/**
 * The compiled renderer for this version of the code, in `home` (the install's cache folder, or
 * the site's releases folder without one): reused when it is there, else compiled once by
 * `compile` into a folder of its own next to it and renamed into place (a concurrent build that
 * got there first wins; ours is dropped). Renderers of other versions are removed, in `home` and
 * in the site's releases folder.
 */
export async function ensureRenderer(
  releases: string,
  codeHash: string,
  compile: (paths: { outDir: string; workDir: string }) => Promise<void>,
  home = releases,
): Promise<{ dir: string; compiled: boolean }> {
  const key = await rendererKey(codeHash);
  const dir = path.join(home, `.renderer-${key}`);
  if (home !== releases) await pruneRenderers(releases, key);
  if (await exists(path.join(dir, RENDERER_ENTRY))) return { dir, compiled: false };
  const workDir = path.join(home, `.compiling-${process.pid}-${Date.now()}`);
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
  await pruneRenderers(home, key);
  return { dir, compiled: true };
}

/** Drop renderers of other code versions, and compiles whose process is gone. */
async function pruneRenderers(folder: string, key: string): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [])) {
    const renderer = RENDERER.exec(entry);
    const compiling = COMPILING.exec(entry);
    const stale = renderer
      ? renderer[1] !== key
      : compiling !== null &&
        !isProcessAlive(Number(compiling[1])) &&
        (await olderThan(path.join(folder, entry), COMPILE_GRACE_MS));
    if (stale) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
}

/**
 * Drop the cache folders of installs whose project is no longer there (deleted or moved): only
 * ours (named by hash, with a project file naming an absolute path that has no package.json).
 */
async function pruneRemovedInstalls(renderers: string, current: string): Promise<void> {
  for (const entry of await readdir(renderers)) {
    if (entry === current || !INSTALL.test(entry)) continue;
    const project = await readFile(path.join(renderers, entry, PROJECT_FILE), 'utf8').catch(
      () => '',
    );
    const root = project.trim();
    if (!path.isAbsolute(root) || (await exists(path.join(root, 'package.json')))) continue;
    await rm(path.join(renderers, entry), { recursive: true, force: true });
  }
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  const stats = await lstat(file).catch(() => undefined);
  return stats !== undefined && Date.now() - stats.mtimeMs > ms;
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
