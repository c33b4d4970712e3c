import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_TIERS } from '../../../pipeline/site/model/attention.ts';
import { buildSiteModel } from '../../../pipeline/site/model/build-model.ts';
import type { ContainerRow, SiteModel } from '../../../pipeline/site/model/index.ts';
import { runCli } from '../../helpers/cli.ts';

// "Needs attention" on the demo as `demo` builds it: the real KEV catalogue, made-up EPSS scores
// and its accepted-risk rules.
const WHY = Object.fromEntries(Object.entries(ATTENTION_TIERS).map(([why, tier]) => [tier, why]));

describe('needs attention (demo)', () => {
  let model: SiteModel;
  let rows: ContainerRow[];

  beforeAll(async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-attention-')), 'data');
    const site = path.join(path.dirname(dataDir), 'site');
    const demo = await runCli(['demo', '--keep-data', dataDir, '--site-dir', site, '-q'], {});
    expect(demo.exitCode, demo.stderr).toBe(0);
    const input = await buildSiteModel({
      dataDir,
      now: new Date(),
      staleAfterMs: 26 * 3_600_000,
      resultTtlMs: 24 * 3_600_000,
      codeHash: 'test',
      version: 'test',
      vex: {
        paths: [path.join(dataDir, 'demo-inputs/accepted-risk.trivyignore.yaml')],
        maxBytes: 4 << 20,
      },
    });
    model = input.model;
    rows = model.table.groups
      .flatMap((g) => g.rows)
      .map((r, i) => ({ r, i }))
      .sort((a, b) => b.r.attention - a.r.attention || b.r.weight - a.r.weight || a.i - b.i)
      .map(({ r }) => r);
  }, 180_000);

  it('puts KEV and Fix-first rows first, then critical with a fix, then unknown, then the rest', () => {
    console.log('the first ten rows, needs attention first:');
    console.table(
      rows.slice(0, 10).map((r) => ({
        container: `${r.host}/${r.name}`,
        why: WHY[r.attention],
        state: r.security.state,
        critical: r.security.state === 'scanned' ? r.security.counts.critical : '—',
      })),
    );
    const onFixFirst = new Set(
      model.fixFirst.items.flatMap((i) => i.containers.map((c) => c.domId)),
    );
    for (const r of rows) {
      if (r.kev) expect(r.attention, r.name).toBe(ATTENTION_TIERS.kev);
      else if (onFixFirst.has(r.domId)) expect(r.attention, r.name).toBe(ATTENTION_TIERS.fixFirst);
      else if (r.security.state === 'failed' || r.security.state === 'not_scanned')
        expect(r.attention, r.name).toBeGreaterThanOrEqual(ATTENTION_TIERS.unknown);
    }
    expect(rows[0]!.kev).toBe(true);
    // A failed scan ranks above every clean or merely vulnerable row without a fix to apply.
    const failed = rows.findIndex((r) => r.security.state === 'failed');
    const rest = rows.findIndex((r) => r.attention === ATTENTION_TIERS.rest);
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(rest).toBeGreaterThan(failed);
  });
});
