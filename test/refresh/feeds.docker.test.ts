import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createRefreshEnv } from '../helpers/refresh-env.ts';

// The feeds stage of refresh: before the build, only feeds older than DOCKPEEK_FEEDS_MAX_AGE; a
// failed feed degrades the run (exit 2) and never the site.
describe('refresh and the feeds', () => {
  it('a failing feed degrades the run, the site is still published, a fresh feed is kept', async () => {
    const t = createRefreshEnv();
    const env = { ...t.env, DOCKPEEK_EPSS_URL: path.join(t.root, 'no-epss.csv.gz') };
    const first = await runCli(['refresh'], env);
    expect(first.exitCode, first.stderr).toBe(2);
    expect(first.stderr).toMatch(/^feeds: kev ok: 1404 entries, catalog 2025\.08\.25, /m);
    expect(first.stderr).toMatch(
      /^warning: feeds: epss failed \[unreachable\] .*no-epss\.csv\.gz: ENOENT .*; there is no previous copy$/m,
    );
    expect(first.stderr).toMatch(/^build: \d+ pages, .* published to /m);
    expect(first.stderr).toMatch(/^refresh: done in .* \(degraded: exit 2\)$/m);
    // The stage runs after the archive and before the build.
    const order = ['archive:', 'feeds: kev', 'build:'].map((p) => first.stderr.indexOf(`\n${p}`));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const second = await runCli(['refresh'], t.env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toMatch(
      /^feeds: kev is \d+(\.\d)? (ms|s|min) old \(1404 entries, catalog 2025\.08\.25\); kept$/m,
    );
    expect(second.stderr).toMatch(/^feeds: epss ok: \d+ scores, model v2025\.03\.14, /m);
    const record = JSON.parse(readFileSync(path.join(t.dataDir, 'feeds', 'feeds.json'), 'utf8'));
    expect(record.epss.stored.entries).toBeGreaterThan(0);

    const off = await runCli(['refresh'], { ...env, DOCKPEEK_FEEDS: '0' });
    expect(off.exitCode, off.stderr).toBe(0);
    expect(off.stderr).not.toMatch(/^feeds:/m);
  });
});
