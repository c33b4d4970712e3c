import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { buildSiteModel, type SiteInput } from '../../pipeline/site/model/build-model.ts';
import { runCli } from './cli.ts';
import { DEMO_NOW } from './store-fixture.ts';

/**
 * Build the site of a store with the real CLI, and the model that build renders (made here from the
 * same store at the demo's clock), so that pages can be checked against what they show.
 */
export async function buildSiteAndModel(
  dataDir: string,
  prefix: string,
): Promise<{ site: string; input: SiteInput }> {
  const site = path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'site');
  const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {});
  expect(build.exitCode, build.stderr).toBe(0);
  const input = await buildSiteModel({
    dataDir,
    now: DEMO_NOW,
    staleAfterMs: 26 * 3_600_000,
    resultTtlMs: 24 * 3_600_000,
    codeHash: 'test',
    version: 'test',
  });
  return { site, input };
}
