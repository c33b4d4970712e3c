import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../pipeline/project-root.ts';
import { runCli } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';

/** Files and folders of the project that git does not ignore and a build could leave behind. */
function projectEntries(): string[] {
  return readdirSync(PROJECT_ROOT)
    .filter((e) => !['dist', 'dist.releases', 'test-artifacts', 'data'].includes(e))
    .sort();
}

// A cron wrapper or a systemd unit runs the CLI from another folder: the build must still work,
// write nothing there (nor in the project), and two builds at once must never meet.
describe('the build works from any working directory', () => {
  it('builds from another cwd and writes only the site dir', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dpk-cwd-'));
    const dataDir = await demoStore();
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-www-')), 'site');
    const before = projectEntries();
    const result = await runCli(
      ['build', '--data-dir', dataDir, '--site-dir', siteDir],
      {},
      { cwd },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(projectEntries()).toEqual(before);
    expect(readdirSync(path.dirname(siteDir)).sort()).toEqual(['site', 'site.releases']);
    expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toContain('Security overview');
  });

  it('runs two builds of different data dirs at the same time, both complete and correct', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dpk-cwd-'));
    const [a, b] = await Promise.all([demoStore(), demoStore(2)]);
    const sites = [a, b].map((d) => path.join(path.dirname(d), `${path.basename(d)}-site`));
    const runs = await Promise.all(
      [a, b].map((dataDir, i) =>
        runCli(['build', '--data-dir', dataDir, '--site-dir', sites[i]!], {}, { cwd }),
      ),
    );
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);
    expect(readdirSync(path.join(sites[0]!, 'history'))).toHaveLength(1);
    expect(readdirSync(path.join(sites[1]!, 'history'))).toHaveLength(3);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
