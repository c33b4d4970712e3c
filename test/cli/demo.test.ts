import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';

describe('demo --containers / --days', () => {
  it('makes a fleet of exactly that size, the last host partly filled', async () => {
    const dir = makeDataDir();
    const run = await runCli(
      [
        'demo',
        '--containers',
        '100',
        '--days',
        '3',
        '--keep-data',
        path.join(dir, 'data'),
        '--site-dir',
        path.join(dir, 'site'),
      ],
      {},
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('demo: 100 sample containers');
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dir, 'data', 'db.json'), 'utf8')));
    const up = db.snapshot!.hosts.filter((h) => h.ok);
    expect(db.snapshot!.containers).toHaveLength(100);
    // Read, then the two labelled dockpeek.hide=true left out (and counted).
    expect(up.reduce((sum, h) => sum + h.containerCount - h.hiddenCount, 0)).toBe(100);
    expect(up.reduce((sum, h) => sum + h.hiddenCount, 0)).toBe(2);
    expect(new Set(db.snapshot!.containers.map((c) => `${c.host}/${c.name}`)).size).toBe(100);
    // The home page holds the first page of rows; the others are containers-2.html, -3.html…
    const pages = readdirSync(path.join(dir, 'site')).filter((f) =>
      /^(index|containers-\d+)\.html$/.test(f),
    );
    expect(pages.length).toBeGreaterThan(1);
    const rows = pages.flatMap(
      (f) => readFileSync(path.join(dir, 'site', f), 'utf8').match(/<tr[^>]*\sdata-row\b/g) ?? [],
    );
    expect(rows).toHaveLength(100);
    const history = readFileSync(path.join(dir, 'site', 'history.html'), 'utf8');
    expect(history.match(/href="history\/[^"]+\.html"/g)).toHaveLength(4);
  });

  it.each([
    ['--containers', '10', '--containers="10" is out of range: a whole number from 44 to 100000'],
    ['--containers', '1e3', '--containers="1e3" is out of range: a whole number from 44 to 100000'],
    ['--days', '-1', '--days="-1" is out of range: a whole number from 0 to 3650'],
  ])('%s %s is a usage error', async (option, value, message) => {
    const run = await runCli(['demo', option, value], {});
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
  });
});
