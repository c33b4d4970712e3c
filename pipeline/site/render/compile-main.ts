// The compile process: the CLI forks it when no renderer is compiled for this code (the first
// build after an install or an upgrade). Vite and the bundler load here, never in a build.
import { serveOneJob } from './child.ts';
import { compileRenderer } from './compile-renderer.ts';

/** Where to compile, as the CLI asks (plain data: it crosses a process boundary). */
export interface CompileJob {
  projectRoot: string;
  outDir: string;
  workDir: string;
}

serveOneJob<CompileJob, null>(async (job) => {
  await compileRenderer(job);
  return null;
});
