import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createRefreshEnv } from '../helpers/refresh-env.ts';

// The most likely first run of a new user: a host without Trivy. The refresh must still publish
// a dashboard that says plainly that nothing was scanned and why; `scan` alone may fail.
describe('refresh on a host without trivy', () => {
  it('degrades (exit 2), still updates, archives and publishes, and the site says why', async () => {
    const lab = createRefreshEnv();
    const env = { ...lab.env, TRIVY_BIN: path.join(lab.root, 'no-such-trivy') };
    const refresh = await runCli(['refresh'], env);
    expect(refresh.exitCode, refresh.stderr).toBe(2);
    expect(refresh.stderr).toMatch(/scan: skipped, nothing was scanned: cannot run trivy/);
    expect(refresh.stderr).toMatch(/Install Trivy/);
    expect(refresh.stderr).toMatch(/^updates: /m);
    expect(refresh.stderr).toMatch(/^archive: snapshot archived/m);
    expect(refresh.stderr).toMatch(/^build: \d+ pages/m);
    const home = readFileSync(path.join(lab.siteDir, 'index.html'), 'utf8');
    expect(home).toContain('Nothing could be scanned.');
    expect(home).toContain('cannot run trivy');
    expect(home).toContain('Install Trivy');
    expect(home).not.toMatch(/class="[^"]*vuln-clean/);

    const scan = await runCli(['scan'], env);
    expect(scan.exitCode).toBe(1);
    expect(scan.stderr).toMatch(/cannot run trivy .* \[scanner_unavailable\]/);
  });
});
