import { fork } from 'node:child_process';
import module from 'node:module';
import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DockpeekError, type DocAnchor, type ErrorCode } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { HEAP_LIMIT_CODE, type ChildReply } from './render/child.ts';
import type { CompileJob } from './render/compile-main.ts';
import type { RenderJob, RenderResult } from './render/render-site.ts';
import { hashCode } from './history-reuse.ts';
import { ensureRenderer, rendererHome } from './render/renderer-cache.ts';

const RENDER_ENTRY = path.join(PROJECT_ROOT, 'pipeline', 'site', 'render', 'main.ts');
const COMPILE_ENTRY = path.join(PROJECT_ROOT, 'pipeline', 'site', 'render', 'compile-main.ts');
const ZOD_LOCALES_HOOK = pathToFileURL(
  path.join(PROJECT_ROOT, 'pipeline', 'zod-locales-hook.mjs'),
).href;
/** The only variables the build processes get: no secret of the CLI's environment reaches them. */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'NO_COLOR', 'DEBUG'];
const STDERR_TAIL = 16 * 1024;
/** How V8 says a process ran out of its heap limit. */
const OUT_OF_HEAP = /heap out of memory|Reached heap limit/;

/** The build process reached its heap limit (--max-old-space-size) and died. */
class HeapLimitReached extends Error {}

/**
 * Render the site in a build process of its own, with the work folder as its cwd, after making
 * sure the compiled renderer for this code exists (compiled in a process of its own the first
 * time: the build process then loads neither Vite nor a bundler). The build process runs with a
 * heap limit (`heapMiB`), which keeps V8 from growing its heap far past what is live; pages that
 * need more (a store with a huge report) are rendered once more without one.
 */
export async function renderInChild(
  { heapMiB, ...job }: Omit<RenderJob, 'rendererDir' | 'codeHash'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<
  RenderResult & { compiled: boolean; rendererShared: boolean; retriedWithoutHeapLimit: boolean }
> {
  const codeHash = await hashCode(PROJECT_ROOT);
  const releases = path.dirname(job.workDir);
  const ensure = (home: string) =>
    ensureRenderer(
      releases,
      codeHash,
      ({ outDir, workDir }) =>
        runChild<CompileJob, null>(
          COMPILE_ENTRY,
          { projectRoot: PROJECT_ROOT, outDir, workDir },
          workDir,
          env,
        ).then(() => undefined),
      home,
    );
  // The install's renderer in the user's cache; the site's releases folder when there is none, or
  // when the cache's file system fails us (full, read-only): a cache never fails a build.
  const home = await rendererHome(env);
  const shared =
    home &&
    (await ensure(home).catch((error: unknown) => {
      if (isFileSystemError(error)) return undefined;
      throw error;
    }));
  const renderer = shared || (await ensure(releases));
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(job.workDir, 'node_modules'));
  const renderJob = { ...job, rendererDir: renderer.dir, codeHash };
  const compiled = { compiled: renderer.compiled, rendererShared: Boolean(shared) };
  const render = (limit?: number) =>
    runChild<RenderJob, RenderResult>(
      RENDER_ENTRY,
      { ...renderJob, ...(limit && { heapMiB: limit }) },
      job.workDir,
      env,
      limit,
    );
  try {
    const result = await render(heapMiB);
    return { ...result, ...compiled, retriedWithoutHeapLimit: false };
  } catch (error) {
    if (!(error instanceof HeapLimitReached)) throw error;
    await rm(job.outDir, { recursive: true, force: true });
    const result = await render();
    return { ...result, ...compiled, retriedWithoutHeapLimit: true };
  }
}

/**
 * Run one job in a child process (cwd `cwd`) and return its answer. Astro's temporary files land
 * in the cwd whatever the CLI's, and the packages resolve through a node_modules link there.
 */
async function runChild<Job extends object, Result>(
  entry: string,
  job: Job,
  cwd: string,
  env: NodeJS.ProcessEnv,
  heapMiB?: number,
): Promise<Result> {
  const child = fork(entry, [], {
    cwd,
    env: {
      ...Object.fromEntries(PASSED_ENV.flatMap((k) => (env[k] ? [[k, env[k]]] : []))),
      ASTRO_TELEMETRY_DISABLED: '1',
      // The CLI's compile cache (bin/compile-cache.mjs), so a build process neither strips nor
      // compiles the modules it loads again.
      ...(module.getCompileCacheDir() && { NODE_COMPILE_CACHE: module.getCompileCacheDir() }),
    },
    // V8 grows the young generation up to 3 × 32 MiB semi-spaces here; the pages' garbage dies
    // young either way, and 16 MiB semi-spaces cut the build's peak memory by ~100 MiB at no
    // cost in time (bench/results/build.md).
    execArgv: [
      '--max-semi-space-size=16',
      ...(heapMiB ? [`--max-old-space-size=${heapMiB}`] : []),
      // zod without the locales nothing here uses, as in the CLI (pipeline/zod-locales-hook.mjs).
      `--import=${ZOD_LOCALES_HOOK}`,
    ],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
  });
  // If the CLI exits (a signal), the build must not outlive it.
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  try {
    const reply = await new Promise<ChildReply<Result> | undefined>((resolve, reject) => {
      let answer: ChildReply<Result> | undefined;
      child.once('message', (m) => (answer = m as ChildReply<Result>));
      child.once('error', reject);
      child.once('exit', () => resolve(answer));
      child.send(job);
    });
    if (reply?.ok) return reply.result;
    if (heapMiB && (reply ? reply.code === HEAP_LIMIT_CODE : OUT_OF_HEAP.test(stderr)))
      throw new HeapLimitReached();
    // What the process printed (a page's exception, as Astro logs it) explains its answer.
    const printed = lastLines(stderr);
    const detail =
      [reply?.message, printed].filter(Boolean).join('\n') ||
      'the build process ended without a word';
    // The child's own error, when it had one (its code, hint and docs), else build_failed.
    const failed = STORE_ERRORS.buildFailed;
    throw new DockpeekError(
      (reply?.code as ErrorCode | undefined) ?? failed.code,
      failed.message({ detail }),
      reply?.hint ?? failed.hint,
      { docs: (reply?.docs as DocAnchor | undefined) ?? failed.docs },
    );
  } finally {
    process.off('exit', stop);
  }
}

/** An error of a file system call (it names one), not of the compile itself. */
function isFileSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.syscall === 'string';
}

/** The last lines a process printed, without stack frames (the messages say what happened). */
function lastLines(text: string): string | undefined {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .slice(-8)
    .join('\n');
  return lines || undefined;
}
