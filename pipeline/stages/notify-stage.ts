import { DockpeekError, describeError } from '../errors.ts';
import { resolveNotifyConfig, type NotifyConfig } from '../notify/config.ts';
import { runNotify } from '../notify/run-notify.ts';
import type { Reporter } from '../reporter.ts';
import type { Store } from '../store/db.ts';

export { resolveNotifyConfig, type NotifyConfig };

/**
 * The last stage of refresh (after publishing, so links work): tell what changed. Off when
 * DOCKPEEK_NOTIFY_URLS is unset. A failed send is degraded, never fatal; so is a fault of the
 * notify code itself, since the site is published by now. Only store write errors are thrown.
 */
export async function runNotifyStage(
  store: Store,
  config: NotifyConfig,
  out: Reporter,
  options: { verbose?: boolean; now?: Date } = {},
): Promise<{ degraded: boolean }> {
  try {
    return await runNotify(store, config, out, options);
  } catch (error) {
    if (error instanceof DockpeekError) throw error;
    const why = config.redact(describeError(error));
    out.warn(`notify: failed unexpectedly (${why}); pending events stay pending`);
    return { degraded: true };
  }
}
