import type { UpdateFlags } from '../config/option-table.ts';
import type { Reporter } from '../reporter.ts';
import { formatDuration } from '../config/duration.ts';
import { SETTINGS, readSetting } from '../config/settings.ts';
import { readHostConfigs } from '../docker/hosts.ts';
import type { Store } from '../store/db.ts';
import { requireSnapshot } from '../store/require-snapshot.ts';
import { checkUpdates } from '../updates/check-updates.ts';

export type { UpdateFlags };

/** Update-check settings: DOCKPEEK_UPDATE_TTL (6h), DOCKPEEK_UPDATE_TIMEOUT (15s), 4 at a time. */
export function resolveUpdateConfig(flags: UpdateFlags, env: NodeJS.ProcessEnv) {
  return {
    hosts: readHostConfigs(env),
    ttlMs: readSetting(SETTINGS.updateTtl, flags.updateTtl, env),
    timeoutMs: readSetting(SETTINGS.updateTimeout, undefined, env),
    concurrency: 4,
    force: Boolean(flags.force),
  };
}

/** Ask registries (through each host's daemon) which images have updates; one summary line. */
export async function runUpdateStage(
  store: Store,
  config: ReturnType<typeof resolveUpdateConfig>,
  out: Reporter,
): Promise<{ requests: number }> {
  const snapshot = requireSnapshot(store.db.data, store.file);
  const started = performance.now();
  const run = await checkUpdates(snapshot, config.hosts, store.db.data.updates, {
    ...config,
    now: new Date(),
  });
  store.db.data.updates = run.records;
  await store.db.write();
  const records = Object.values(run.records);
  const count = (s: string) => records.filter((r) => r.status === s).length;
  out.info(
    `updates: of ${records.length} image references, ${count('update_available')} have an update, ${count('up_to_date')} are up to date, ${count('unknown')} unknown; ` +
      `${run.requests} registry request(s), ${run.reused} reused; ${formatDuration(performance.now() - started)}`,
  );
  return { requests: run.requests };
}
