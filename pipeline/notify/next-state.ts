import { readVexConfig } from '../vex/vex-config.ts';
import type { FindingsReader } from '../findings/reader.ts';
import { loadRisk } from '../findings/risk.ts';
import type { Db } from '../store/schema.ts';
import type { NotifyConfig } from './config.ts';
import { dropEvent } from './deliver.ts';
import { diffObservation } from './diff.ts';
import type { NotifyEvent } from './events.ts';
import { observe, type Accepted, type View } from './observe.ts';
import { NOTIFY_STATE_VERSION, type NotifyState } from './state-schema.ts';
import { sameThreshold } from './threshold.ts';

/** The state after looking at the store now: a baseline, or the old one moved forward. */
export type Advance =
  | { kind: 'baseline'; state: NotifyState; view: View }
  | { kind: 'advanced'; state: NotifyState; events: NotifyEvent[]; rebaselined: boolean };

/**
 * Compare the store with the last notified state. The new observation and the events it yields
 * go into one state, written at once by the caller: a crash before that write loses nothing (the
 * next run finds the same changes), one after it doubles nothing (they are pending).
 * `previous` is not modified.
 */
export async function advanceState(
  previous: NotifyState | null,
  db: Db,
  reader: FindingsReader,
  config: NotifyConfig,
  now: Date,
): Promise<Advance> {
  const view = await observe(
    db,
    reader,
    config.threshold,
    await acceptedNow(reader.dataDir, config.env, now),
  );
  const threshold = config.threshold;
  const at = now.toISOString();
  if (!previous) {
    const { next } = diffObservation(null, view, { threshold, compareFindings: false, now });
    const state: NotifyState = {
      schemaVersion: NOTIFY_STATE_VERSION,
      baselineAt: at,
      observedAt: at,
      threshold,
      observation: next,
      pending: [],
      dropped: [],
    };
    return { kind: 'baseline', state, view };
  }
  const rebaselined = !sameThreshold(previous.threshold, threshold);
  const { events, next } = diffObservation(previous.observation, view, {
    threshold,
    compareFindings: !rebaselined,
    now,
  });
  const state: NotifyState = structuredClone({
    ...previous,
    observedAt: at,
    threshold,
    observation: next,
  });
  forgetRemovedDestinations(state, config, now);
  const known = new Set(state.pending.map((p) => p.event.id));
  const everywhere = () =>
    Object.fromEntries(config.destinations.map((d) => [d.id, { attempts: 0 }]));
  for (const event of events)
    if (!known.has(event.id)) state.pending.push({ event, remaining: everywhere() });
  return { kind: 'advanced', state, events, rebaselined };
}

/** Events pending for a destination no longer configured are dropped, with a record. */
function forgetRemovedDestinations(state: NotifyState, config: NotifyConfig, now: Date): void {
  const current = new Set(config.destinations.map((d) => d.id));
  for (const p of state.pending) {
    for (const [id, attempt] of Object.entries(p.remaining)) {
      if (current.has(id)) continue;
      delete p.remaining[id];
      const reason = {
        code: 'destination_removed' as const,
        message: 'the destination is no longer in DOCKPEEK_NOTIFY_URLS',
      };
      dropEvent(state, p, id, `removed destination ${id}`, attempt.attempts, reason, now);
    }
  }
  state.pending = state.pending.filter((p) => Object.keys(p.remaining).length > 0);
}

/**
 * The accepted-risk rules of DOCKPEEK_VEX judged at `now` by the findings core, as the dashboard
 * and the export judge them (a rejected document applies none).
 */
async function acceptedNow(dataDir: string, env: NodeJS.ProcessEnv, now: Date): Promise<Accepted> {
  const risk = await loadRisk(dataDir, readVexConfig(env), now);
  if (!risk.hasRules) return () => false;
  return (image, f) => risk.judge(image, f).accepted !== undefined;
}
