// The build process: the CLI forks it for each build, in the build's own work folder, so Astro's
// files stay there, concurrent builds never meet, and nothing of a build stays in the CLI process.
import { DockpeekError, describeError } from '../../errors.ts';
import { renderSite, type RenderJob } from './render-site.ts';

/** What the build process answers: the result, or a failure the CLI can explain. */
export type RenderReply =
  | { ok: true; result: Awaited<ReturnType<typeof renderSite>> }
  | { ok: false; code: string; message: string; hint?: string };

process.once('message', (job: RenderJob) => {
  renderSite(job).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) =>
      reply({
        ok: false,
        code: error instanceof DockpeekError ? error.code : 'build_failed',
        message: describeError(error),
        ...(error instanceof DockpeekError && error.hint && { hint: error.hint }),
      }),
  );
});
// The CLI is gone (killed): nothing is waiting for this build.
process.once('disconnect', () => process.exit(1));

function reply(message: RenderReply): void {
  process.send!(message, () => process.exit(0));
}
