// The build's child processes (main.ts renders, compile-main.ts compiles): each takes one job
// from the CLI, answers once, and ends; it also ends when the CLI is gone.
import { DockpeekError, describeError } from '../../errors.ts';

/** What a child answers when a worker thread reached its heap limit (DOCKPEEK_BUILD_HEAP). */
export const HEAP_LIMIT_CODE = 'heap_limit';

/** A worker thread of the child reached its heap limit: the CLI renders again without one. */
export class HeapLimitError extends Error {
  constructor() {
    super('a worker thread of the build reached its heap limit');
  }
}

/** What a child answers: the result, or a failure the CLI can explain. */
export type ChildReply<Result> =
  | { ok: true; result: Result }
  | { ok: false; code: string; message: string; hint?: string; docs?: string };

/** Run `work` on the job the CLI sends, and send back its result or its failure. */
export function serveOneJob<Job, Result>(work: (job: Job) => Promise<Result>): void {
  process.once('message', (job: Job) => {
    work(job).then(
      (result) => reply({ ok: true, result }),
      (error: unknown) =>
        reply({
          ok: false,
          code:
            error instanceof DockpeekError
              ? error.code
              : error instanceof HeapLimitError
                ? HEAP_LIMIT_CODE
                : 'build_failed',
          message: describeError(error),
          ...(error instanceof DockpeekError && error.hint && { hint: error.hint }),
          ...(error instanceof DockpeekError && { docs: error.docs }),
        }),
    );
  });
  // The CLI is gone (killed): nothing is waiting for this job.
  process.once('disconnect', () => process.exit(1));
}

function reply(message: ChildReply<unknown>): void {
  process.send!(message, () => process.exit(0));
}
