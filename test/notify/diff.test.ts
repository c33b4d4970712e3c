import { describe, expect, it } from 'vitest';
import { diffObservation } from '../../pipeline/notify/diff.ts';
import type { NotifyEvent } from '../../pipeline/notify/events.ts';
import type { View } from '../../pipeline/notify/observe.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import {
  ObservationSchema,
  type Observation,
  type Threshold,
} from '../../pipeline/notify/state-schema.ts';
import { DEFAULT_THRESHOLD } from '../../pipeline/notify/threshold.ts';
import { container, finding, image, view, type ImageSpec } from '../helpers/notify-views.ts';

/** An event in one line: kind, subject, and what it lists. */
function summary(e: NotifyEvent): string {
  switch (e.kind) {
    case 'new_findings':
    case 'fix_available':
      return `${e.kind} ${e.ref} ${e.findings.map((f) => f.id).join(',')} @${hostsOf(e.containers)}`;
    case 'scan_failed':
    case 'scan_recovered':
      return `${e.kind} ${e.ref} @${hostsOf(e.containers)}`;
    case 'anchor_update':
      return `${e.kind} ${e.ref} ${e.anchors.map((a) => `${a.host}/${a.name}:${a.dependents.length}`).join(',')}`;
    case 'host_down':
    case 'host_up':
      return `${e.kind} ${e.host}`;
  }
}
const hostsOf = (cs: Array<{ host: string }>) => [...new Set(cs.map((c) => c.host))].join('+');

/** Run views in order from no state; returns the event summaries of each run after the first. */
function run(steps: View[], threshold: Threshold = DEFAULT_THRESHOLD): string[][] {
  let prev: Observation | null = null;
  const out: string[][] = [];
  steps.forEach((v, i) => {
    const { events, next } = diffObservation(prev, v, {
      threshold,
      compareFindings: true,
      now: new Date(Date.UTC(2026, 0, 1, 0, i)),
    });
    if (i > 0) out.push(events.map(summary));
    else expect(events).toEqual([]);
    // Through the state file's schema, as the next run reads it.
    prev = ObservationSchema.parse(JSON.parse(JSON.stringify(next)));
  });
  return out;
}

const C1 = finding('CVE-1', 'critical');
const C1fixed = finding('CVE-1', 'critical', '1.1');
const C2 = finding('CVE-2', 'critical', '2.0');
const H1 = finding('CVE-3', 'high');
const H1fixed = finding('CVE-3', 'high', '1.2');
const M1 = finding('CVE-4', 'medium', '1.3');

const one = (scan: ImageSpec['scan'], extra: ImageSpec = {}) => view([image({ scan, ...extra })]);
const anchorOn = (host: string) =>
  container(host, 'gluetun', 'gluetun:3', {
    role: 'anchor',
    dependents: ['qbittorrent', 'prowlarr', 'sonarr', 'radarr'],
  });
const available = (digest: string) => ({ state: 'available' as const, digest });

describe('diffObservation: image references that are names every object has', () => {
  // An image named "constructor" is a valid reference; "__proto__" comes only from a hostile host.
  it.each(['constructor', '__proto__', 'toString'])('%j is an image like any other', (ref) => {
    const both = (scan: Finding[]) => view([image({ scan: [C1] }), image({ ref, scan })]);
    expect(run([one([C1]), both([C2]), both([C2]), both([C2, H1fixed])])).toEqual([
      [`new_findings ${ref} CVE-2 @lab`],
      [],
      [`new_findings ${ref} CVE-3 @lab`],
    ]);
  });
});

describe('diffObservation: what is worth a message', () => {
  const cases: Array<[string, View[], string[][], Threshold?]> = [
    ['first run: a baseline, nothing sent', [one([C1, C2])], []],
    ['nothing changed: nothing sent', [one([C1]), one([C1])], [[]]],
    [
      'a new critical is sent once, then not again',
      [one([C1]), one([C1, C2]), one([C1, C2])],
      [['new_findings app:1 CVE-2 @lab'], []],
    ],
    ['a high without a fix is below the default threshold', [one([C1]), one([C1, H1])], [[]]],
    [
      'a high with a fix is above it',
      [one([C1]), one([C1, H1fixed])],
      [['new_findings app:1 CVE-3 @lab']],
    ],
    ['a medium with a fix is not', [one([C1]), one([C1, M1])], [[]]],
    [
      'threshold high: a high without a fix is sent',
      [one([C1]), one([C1, H1])],
      [['new_findings app:1 CVE-3 @lab']],
      { severity: 'high', fixable: null },
    ],
    [
      'fixable off: a high with a fix is not sent',
      [one([C1]), one([C1, H1fixed])],
      [[]],
      { severity: 'critical', fixable: null },
    ],
    [
      'a critical that gets a fix: fix_available, not new',
      [one([C1]), one([C1fixed]), one([C1fixed])],
      [['fix_available app:1 CVE-1 @lab'], []],
    ],
    [
      'a high that gets a fix becomes notable as fix_available',
      [one([H1]), one([H1fixed])],
      [['fix_available app:1 CVE-3 @lab']],
    ],
    [
      'a scan that fails: scan_failed once, no finding events',
      [one([C1]), one('failed'), one('failed')],
      [['scan_failed app:1 @lab'], []],
    ],
    [
      'recovered with the same findings: scan_recovered only',
      [one([C1]), one('failed'), one([C1])],
      [['scan_failed app:1 @lab'], ['scan_recovered app:1 @lab']],
    ],
    [
      'recovered with a new critical: compared with the last scan that worked',
      [one([C1]), one('failed'), one([C1, C2])],
      [['scan_failed app:1 @lab'], ['new_findings app:1 CVE-2 @lab', 'scan_recovered app:1 @lab']],
    ],
    [
      'failed at the baseline, then scanned: recovered, findings never known so none new',
      [one('failed'), one([C1])],
      [['scan_recovered app:1 @lab']],
    ],
    [
      'unscanned at the baseline, then scanned: no finding events (unknown is not "none")',
      [one('unknown'), one([C1])],
      [[]],
    ],
    ['scanned, then unknown: nothing', [one([C1]), one('unknown'), one([C1])], [[], []]],
    [
      'a new image on a watched host: all its notable findings are new',
      [one([C1]), view([image({ scan: [C1] }), image({ ref: 'db:2', scan: [C2, H1] })])],
      [['new_findings db:2 CVE-2 @lab']],
    ],
    [
      'a new image unscanned at first: its first scan is compared with nothing',
      [
        one([C1]),
        view([image({ scan: [C1] }), image({ ref: 'db:2', scan: 'unknown' })]),
        view([image({ scan: [C1] }), image({ ref: 'db:2', scan: [C2] })]),
      ],
      [[], ['new_findings db:2 CVE-2 @lab']],
    ],
    [
      'a new image whose scan fails at once: scan_failed',
      [one([C1]), view([image({ scan: [C1] }), image({ ref: 'db:2', scan: 'failed' })])],
      [['scan_failed db:2 @lab']],
    ],
    [
      'the same image on two hosts: one event naming both',
      [
        view([image({ scan: [C1] }), image({ host: 'nas', scan: [C1] })], ['lab', 'nas']),
        view([image({ scan: [C1, C2] }), image({ host: 'nas', scan: [C1, C2] })], ['lab', 'nas']),
      ],
      [['new_findings app:1 CVE-2 @lab+nas']],
    ],
    [
      'a host that goes down: host_down, no container events; back: host_up, nothing else',
      [
        view([image({ scan: [C1] }), image({ host: 'nas', scan: [C1] })], ['lab', 'nas']),
        view([image({ scan: [C1] })], ['lab', 'nas'], ['nas']),
        view([image({ scan: [C1] }), image({ host: 'nas', scan: [C1] })], ['lab', 'nas']),
      ],
      [['host_down nas'], ['host_up nas']],
    ],
    [
      'a new critical on a host while it was down is told when it is back',
      [
        view([image({ host: 'nas', scan: [C1] })], ['nas']),
        view([], ['nas'], ['nas']),
        view([image({ host: 'nas', scan: [C1, C2] })], ['nas']),
      ],
      [['host_down nas'], ['new_findings app:1 CVE-2 @nas', 'host_up nas']],
    ],
    [
      'a host down at the baseline: its first answer is a baseline for it',
      [
        view([image({ scan: [C1] })], ['lab', 'nas'], ['nas']),
        view([image({ scan: [C1] }), image({ host: 'nas', scan: [C1, C2] })], ['lab', 'nas']),
      ],
      [['host_up nas']],
    ],
    [
      'an update on an anchor: once, with its dependents',
      [
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')] })]),
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: available('d1') })]),
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: available('d1') })]),
      ],
      [['anchor_update gluetun:3 lab/gluetun:4'], []],
    ],
    [
      'an update: registry unknown in between is not a new update; a newer digest is',
      [
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: available('d1') })]),
        view([
          image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: { state: 'unknown' } }),
        ]),
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: available('d1') })]),
        view([image({ ref: 'gluetun:3', containers: [anchorOn('lab')], update: available('d2') })]),
      ],
      [[], [], ['anchor_update gluetun:3 lab/gluetun:4']],
    ],
    [
      'an update on a container nothing depends on: not sent',
      [one([C1]), one([C1], { update: available('d1') })],
      [[]],
    ],
  ];

  it.each(cases)('%s', (_name, steps, expected, threshold) => {
    expect(run(steps, threshold)).toEqual(expected);
  });

  it('re-baselines findings without events when the threshold changed', () => {
    const first = diffObservation(null, one([C1]), {
      threshold: DEFAULT_THRESHOLD,
      compareFindings: true,
      now: new Date(0),
    });
    const second = diffObservation(first.next, one([C1, H1]), {
      threshold: { severity: 'high', fixable: null },
      compareFindings: false,
      now: new Date(1),
    });
    expect(second.events).toEqual([]);
    expect(second.next.images.lab!['app:1']!.notable).toHaveLength(2);
  });

  it('keeps identities, not findings, and gives the same event the same id', () => {
    const steps = [one([C1]), one([C1, C2])];
    const ids = () => {
      const first = diffObservation(null, steps[0]!, {
        threshold: DEFAULT_THRESHOLD,
        compareFindings: true,
        now: new Date(0),
      });
      const options = { threshold: DEFAULT_THRESHOLD, compareFindings: true, now: new Date(5) };
      return diffObservation(first.next, steps[1]!, options);
    };
    const a = ids();
    expect(a.events[0]!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(ids().events[0]!.id).toBe(a.events[0]!.id);
    expect(a.next.images.lab!['app:1']).toEqual({
      scan: 'scanned',
      notable: ['CVE-1\u0000openssl\u00001.0', 'CVE-2\u0000openssl\u00001.0'],
      unfixed: ['CVE-1\u0000openssl\u00001.0'],
    });
  });

  it('lists at most 20 findings per event, most severe first, and counts them all', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      finding(`CVE-2024-${1000 + i}`, i % 2 ? 'critical' : 'high', '9.9'),
    );
    const [step] = run([one([C1]), one([C1, ...many])]);
    expect(step).toHaveLength(1);
    const { events } = diffObservation(
      diffObservation(null, one([C1]), {
        threshold: DEFAULT_THRESHOLD,
        compareFindings: true,
        now: new Date(0),
      }).next,
      one([C1, ...many]),
      { threshold: DEFAULT_THRESHOLD, compareFindings: true, now: new Date(1) },
    );
    const event = events[0]!;
    if (event.kind !== 'new_findings') throw new Error(`unexpected ${event.kind}`);
    expect(event.total).toBe(30);
    expect(event.counts).toEqual({ critical: 15, high: 15, medium: 0, low: 0, unknown: 0 });
    expect(event.findings).toHaveLength(20);
    expect(event.findings.slice(0, 15).every((f) => f.severity === 'critical')).toBe(true);
  });
});
