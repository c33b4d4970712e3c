import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuildDir, publishRelease, releasesDir } from '../../pipeline/site/publish.ts';

async function release(site: string, text: string) {
  const dir = await createBuildDir(site);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), text);
  await new Promise((r) => setTimeout(r, 5));
  return publishRelease(dir, site);
}

describe('publishRelease', () => {
  it('swaps a relative symlink to the new release and keeps the last three', async () => {
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-pub-')), 'site');
    for (let i = 1; i <= 5; i++) {
      const { previous } = await release(site, `v${i}`);
      expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe(`v${i}`);
      if (i > 1) expect(previous).toBeDefined();
    }
    expect(readlinkSync(site)).toMatch(/^site\.releases\/\d{4}-/);
    expect(readdirSync(releasesDir(site))).toHaveLength(3);
  });

  it('moves a plain site folder aside once, then publishes', async () => {
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-pub-')), 'site');
    mkdirSync(site);
    writeFileSync(path.join(site, 'index.html'), 'old');
    await release(site, 'new');
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(releasesDir(site)).some((e) => e.startsWith('moved-'))).toBe(true);
  });

  it('removes the leftovers of a build whose process died', async () => {
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-pub-')), 'site');
    mkdirSync(path.join(releasesDir(site), `.building-${2 ** 22 + 9}-1`), { recursive: true });
    await release(site, 'x');
    expect(readdirSync(releasesDir(site)).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
