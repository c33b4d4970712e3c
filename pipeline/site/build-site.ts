import { fork } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { DockpeekError, type ErrorCode } from '../errors.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { RenderReply } from './render/main.ts';
import type { RenderJob, RenderResult } from './render/render-site.ts';

const ENTRY = path.join(PROJECT_ROOT, 'pipeline', 'site', 'render', 'main.ts');
/** The only variables the build process gets: no secret of the CLI's environment reaches it. */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'NO_COLOR', 'DEBUG'];
const STDERR_TAIL = 16 * 1024;

/**
 * Render the site in a build process of its own, with the work folder as its cwd: Astro's
 * temporary files land there whatever the CLI's cwd, and the packages resolve through a
 * node_modules link to the project's.
 */
export async function renderInChild(
  job: Omit<RenderJob, 'projectRoot'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RenderResult> {
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(job.workDir, 'node_modules'));
  const child = fork(ENTRY, [], {
    cwd: job.workDir,
    env: {
      ...Object.fromEntries(PASSED_ENV.flatMap((k) => (env[k] ? [[k, env[k]]] : []))),
      ASTRO_TELEMETRY_DISABLED: '1',
    },
    // V8 grows the young generation up to 3 × 32 MiB semi-spaces here; the pages' garbage dies
    // young either way, and 16 MiB semi-spaces cut the build's peak memory by ~100 MiB at no
    // cost in time (bench/results/build.md).
    execArgv: ['--max-semi-space-size=16'],
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
    const reply = await new Promise<RenderReply | undefined>((resolve, reject) => {
      let answer: RenderReply | undefined;
      child.once('message', (m) => (answer = m as RenderReply));
      child.once('error', reject);
      child.once('exit', () => resolve(answer));
      child.send({ ...job, projectRoot: PROJECT_ROOT } satisfies RenderJob);
    });
    if (reply?.ok) return reply.result;
    const detail = reply?.message ?? lastLines(stderr) ?? 'the build process ended without a word';
    throw new DockpeekError(
      (reply?.code as ErrorCode | undefined) ?? 'build_failed',
      `the site build failed: ${detail}`,
      reply?.hint ??
        'The published site is unchanged. Run with DEBUG=astro:* for details, and report it.',
    );
  } finally {
    process.off('exit', stop);
  }
}

function lastLines(text: string): string | undefined {
  const lines = text.trim().split('\n').slice(-8).join('\n');
  return lines || undefined;
}
