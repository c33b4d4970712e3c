import { describe, expect, it } from 'vitest';
import { buildExport } from '../../pipeline/export/build-export.ts';
import { csvCell, toCsv } from '../../pipeline/export/csv.ts';
import { ExportSchema } from '../../pipeline/export/schema.ts';
import type { Snapshot } from '../../pipeline/snapshot/schema.ts';

const snapshot: Snapshot = {
  takenAt: '2026-11-25T10:00:00.000Z',
  hosts: [
    {
      name: 'lab',
      url: 'unix:///s',
      ok: true,
      containerCount: 2,
      hiddenCount: 0,
      warnings: [],
      durationMs: 5,
    },
  ],
  containers: ['app', 'skipme'].map((name) => ({
    host: 'lab',
    id: `${name}-id`,
    name,
    image: 'img:1',
    imageId: 'sha256:1',
    repoDigests: [],
    state: 'running',
    ports: [],
    networkMode: 'none',
    networks: [],
    compose: { dependsOn: [] },
    labels: {},
    stack: name === 'app' ? '=HYPERLINK("http://x")' : null,
    scanSkip: name === 'skipme',
    orchestration: {
      role: 'anchor',
      anchor: null,
      anchorType: null,
      dependents: ['a', 'b'],
      stackOverride: null,
      hidden: false,
      inferred: false,
      warnings: ['say "hi", twice'],
    },
  })),
};

describe('export', () => {
  it('matches the contract, with null counts until scanned', () => {
    const data = buildExport(snapshot, {}, new Date('2026-11-25T11:00:00Z'));
    expect(ExportSchema.parse(data)).toEqual(data);
    expect(data.containers[0]!.security).toEqual({
      status: 'not_scanned',
      counts: { critical: null, high: null, medium: null, low: null, unknown: null },
      findings: null,
      uniqueCves: null,
      fixable: null,
      accepted: null,
      raw: {
        counts: { critical: null, high: null, medium: null, low: null, unknown: null },
        findings: null,
        uniqueCves: null,
        fixable: null,
      },
    });
    expect(data.containers[1]!.security.status).toBe('skipped');
    expect(data.hosts).toEqual([{ name: 'lab', url: 'unix:///s', ok: true }]);
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'exports a container running an image named %j like any other: no update recorded, not scanned',
    (image) => {
      const named = {
        ...snapshot,
        containers: [{ ...snapshot.containers[0]!, image, imageId: image }],
      };
      const data = ExportSchema.parse(buildExport(named, {}, new Date('2026-11-25T11:00:00Z'), {}));
      expect(data.containers[0]!.update).toBeUndefined();
      expect(data.containers[0]!.security.status).toBe('not_scanned');
    },
  );

  it('writes one CSV row per container, quoted and formula-safe', () => {
    const lines = toCsv(buildExport(snapshot)).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      `lab,app,app-id,img:1,sha256:1,running,,'=HYPERLINK(""http://x""),anchor,,,a;b,false,"say ""hi"", twice",not_scanned,,,,,,,,,,,,,,,,,,,,`.replace(
        `'=HYPERLINK(""http://x"")`,
        `"'=HYPERLINK(""http://x"")"`,
      ),
    );
  });

  it.each([
    [null, ''],
    [0, '0'],
    [false, 'false'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['line\nbreak', '"line\nbreak"'],
  ])('csvCell(%j) = %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
