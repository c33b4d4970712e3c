import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../../process-alive.ts';
import { PROJECT_ROOT } from '../../project-root.ts';
import { makeCacheDirectory, userCacheDir } from '../../user-cache-dir.mjs';
import { RENDERER_ENTRY } from './compile-renderer.ts';

const RENDERER = /^\.renderer-([0-9a-f]{16})$/;
const COMPILING = /^\.compiling-(\d+)-\d+$/;
const INSTALL = /^[0-9a-f]{16}$/;
/** In an install's folder of the cache: the project it belongs to, so a removed one is found. */
const PROJECT_FILE = 'project';

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
 * shares one compile. Undefined when there is no writable cache folder; the site's releases
 * folder holds the renderer then, as it did before there was a cache.
 */
export async function rendererHome(
  env: NodeJS.ProcessEnv,
  projectRoot = PROJECT_ROOT,
): Promise<string | undefined> {
  const base = userCacheDir(env);
  if (!base) return undefined;
  const install = createHash('sha256').update(projectRoot).digest('hex').slice(0, 16);
  const home = path.join(base, 'renderers', install);
  if (!makeCacheDirectory(home)) return undefined;
  const writable = await access(home, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) return undefined;
  const project = path.join(home, PROJECT_FILE);
  if (!(await exists(project))) await writeFile(project, `${projectRoot}\n`);
  await pruneRemovedInstalls(path.dirname(home), install);
  return home;
}

/**
 * The compiled renderer for this version of the code, in `home` (the install's cache folder, or
 * the site's releases folder without one): reused when it is there, else compiled once by
 * `compile` into a folder of its own next to it and renamed into place (a concurrent build that
 * got there first wins; ours is dropped). Renderers of other versions are removed, and so are
 * those an older version left in the site's releases folder.
 */
export async function ensureRenderer(
  releases: string,
  codeHash: string,
  compile: (paths: { outDir: string; workDir: string }) => Promise<void>,
  home = releases,
): Promise<{ dir: string; compiled: boolean }> {
  const key = await rendererKey(codeHash);
  const dir = path.join(home, `.renderer-${key}`);
  if (home !== releases) await pruneRenderers(releases, undefined);
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

/** Drop renderers of other code versions (all, without `key`) and compiles whose process is gone. */
async function pruneRenderers(folder: string, key: string | undefined): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [])) {
    const renderer = RENDERER.exec(entry);
    const compiling = COMPILING.exec(entry);
    const stale = renderer
      ? renderer[1] !== key
      : compiling !== null && !isProcessAlive(Number(compiling[1]));
    if (stale) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
}

/** Drop the cache folders of installs whose project is no longer there (deleted or moved). */
async function pruneRemovedInstalls(renderers: string, current: string): Promise<void> {
  for (const entry of await readdir(renderers)) {
    if (entry === current || !INSTALL.test(entry)) continue;
    const project = await readFile(path.join(renderers, entry, PROJECT_FILE), 'utf8').catch(
      () => undefined,
    );
    if (project === undefined || (await exists(path.join(project.trim(), 'package.json'))))
      continue;
    await rm(path.join(renderers, entry), { recursive: true, force: true });
  }
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
