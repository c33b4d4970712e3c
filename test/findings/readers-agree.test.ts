import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { expectReadersAgree } from '../helpers/readers.ts';

// The demo has accepted-risk rules: one accepts a finding now, one expired three days ago.
describe('the readers of the findings agree (demo)', () => {
  it('home, History, the CVE index, export, export --findings and notify --dry-run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-readers-'));
    const dataDir = path.join(dir, 'data');
    const site = path.join(dir, 'site');
    const demo = await runCli(['demo', '--keep-data', dataDir, '--site-dir', site, '-q'], {});
    expect(demo.exitCode, demo.stderr).toBe(0);
    const env = {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_VEX: path.join(dataDir, 'demo-inputs/accepted-risk.trivyignore.yaml'),
    };
    const exported = JSON.parse((await runCli(['export'], env)).stdout) as {
      containers: Array<{ image: string; security: { status: string } }>;
    };
    const scanned = [
      ...new Set(
        exported.containers.filter((c) => c.security.status === 'scanned').map((c) => c.image),
      ),
    ];
    // Four images are "new" to notify: the one whose finding is accepted among them.
    const accepted = scanned.filter((r) => r.includes('flaresolverr'));
    const refs = [
      ...accepted,
      ...scanned.filter((r) => !accepted.includes(r)).slice(0, 4 - accepted.length),
    ];
    await expectReadersAgree({ dataDir, site, env }, refs);
  }, 180_000);
});
