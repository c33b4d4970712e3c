import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveNotifyConfig, type NotifyConfig } from '../../pipeline/notify/config.ts';
import { digestSlot } from '../../pipeline/notify/digest.ts';
import { runNotify } from '../../pipeline/notify/run-notify.ts';
import { WebhookBodySchema } from '../../pipeline/notify/webhook-body.ts';
import type { Reporter } from '../../pipeline/reporter.ts';
import { openStore } from '../../pipeline/store/db.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { demoStore, editDb } from '../helpers/store-fixture.ts';

/** Local time on a day of January 2026 (the digest time is local). */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 0, day, hour, minute);

describe('digestSlot', () => {
  const eight = { hour: 8, minute: 0 };
  it.each([
    ['before 08:00, digest sent yesterday', at(1, 8, 1), at(2, 7, 59), false],
    ['at 08:00, digest sent yesterday', at(1, 8, 1), at(2, 8, 0), true],
    ['after 08:00, already sent today', at(2, 8, 1), at(2, 23, 0), false],
    ['baseline after today’s slot: not before tomorrow', at(2, 9, 0), at(2, 10, 0), false],
    ['a missed day: due at the next run', at(1, 8, 1), at(3, 1, 0), true],
  ])('%s', (_name, last, now, due) => {
    expect(digestSlot(eight, last.toISOString(), now).due).toBe(due);
  });
});

describe('DOCKPEEK_NOTIFY_DIGEST: one message a day instead of one per run', () => {
  let receiver: HttpReceiver;
  let dataDir: string;
  let config: NotifyConfig;
  const lines: string[] = [];
  const out: Reporter = {
    info: (l) => lines.push(l),
    warn: (l) => lines.push(`warning: ${l}`),
    error: (l) => lines.push(`error: ${l}`),
    ok: (t) => t,
    bad: (t) => t,
    dim: (t) => t,
  };
  const run = async (now: Date) => runNotify(await openStore(dataDir), config, out, { now });
  const setHost = (name: string, ok: boolean) =>
    editDb(dataDir, (db) => {
      const host = db.snapshot!.hosts.find((h) => h.name === name)!;
      host.ok = ok;
      host.error = ok ? undefined : 'connection refused';
    });
  const bodies = () => receiver.delivered().map((r) => WebhookBodySchema.parse(JSON.parse(r.body)));

  beforeAll(async () => {
    receiver = await startReceiver();
    dataDir = await demoStore();
    config = await resolveNotifyConfig({
      DOCKPEEK_NOTIFY_URLS: `json://${receiver.url.slice(7)}/digest`,
      DOCKPEEK_NOTIFY_DIGEST: '08:00',
    });
  });
  afterAll(() => receiver.close());

  it('holds events until the digest time, then sends them all in one message, once', async () => {
    await run(at(2, 6));
    setHost('nas', false);
    expect(await run(at(2, 7))).toEqual({ degraded: false });
    expect(lines.at(-1)).toMatch(/held for the daily digest at 08:00 for 1 destination/);
    setHost('server', false);
    await run(at(2, 7, 30));
    expect(receiver.requests).toEqual([]);
    await run(at(2, 8, 5));
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toMatchObject({
      kind: 'digest',
      title: 'DockPeek daily digest: 2 changes',
      events: [
        { kind: 'host_down', host: 'nas' },
        { kind: 'host_down', host: 'server' },
      ],
    });
    await run(at(2, 9));
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries a failed digest at the next run, without waiting a day', async () => {
    setHost('nas', true);
    receiver.setMode('/digest', 'fail');
    expect(await run(at(3, 8, 1))).toEqual({ degraded: true });
    receiver.setMode('/digest', 'ok');
    expect(await run(at(3, 9))).toEqual({ degraded: false });
    expect(bodies().map((b) => b.title)).toEqual([
      'DockPeek daily digest: 2 changes',
      'DockPeek daily digest: 1 change',
    ]);
    expect(bodies()[1]!.events).toMatchObject([{ kind: 'host_up', host: 'nas' }]);
  });
});
