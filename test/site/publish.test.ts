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
import { PROJECT_ROOT } from '../../pipeline/project-root.ts';
import { createWorkDir, publishRelease } from '../../pipeline/site/publish.ts';
import { releasesDir } from '../../pipeline/site/site-dir.ts';

const context = (dir: string, adopt = false) => ({
  dataDir: path.join(dir, 'data'),
  projectRoot: PROJECT_ROOT,
  adopt,
});

async function release(site: string, text: string, adopt = false) {
  const work = await createWorkDir(site);
  const out = path.join(work, 'site');
  mkdirSync(out);
  writeFileSync(path.join(out, 'index.html'), text);
  await new Promise((r) => setTimeout(r, 5));
  return publishRelease(out, site, context(path.dirname(site), adopt));
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
    const entries = readdirSync(releasesDir(site));
    expect(entries.filter((e) => /^\d{4}-/.test(e))).toHaveLength(3);
    expect(entries).toContain('.dockpeek-releases');
  });

  it('replaces an empty folder, and with --adopt moves a folder with files aside, kept', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-pub-'));
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    await release(empty, 'new');
    expect(readFileSync(path.join(empty, 'index.html'), 'utf8')).toBe('new');

    const full = path.join(root, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'mine.txt'), 'user data');
    const { adopted } = await release(full, 'new', true);
    expect(readFileSync(path.join(full, 'index.html'), 'utf8')).toBe('new');
    expect(readFileSync(path.join(adopted!, 'mine.txt'), 'utf8')).toBe('user data');
    for (let i = 0; i < 4; i++) await release(full, `v${i}`);
    expect(readFileSync(path.join(adopted!, 'mine.txt'), 'utf8')).toBe('user data');
  });

  it('removes the leftovers of a build whose process died, and nothing it did not make', async () => {
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-pub-')), 'site');
    mkdirSync(path.join(releasesDir(site), `.building-${2 ** 22 + 9}-1`), { recursive: true });
    mkdirSync(path.join(releasesDir(site), 'moved-2026-01-01T00-00-00-000Z'));
    await release(site, 'x');
    const entries = readdirSync(releasesDir(site));
    expect(entries).not.toContain(`.building-${2 ** 22 + 9}-1`);
    expect(entries).toContain('moved-2026-01-01T00-00-00-000Z');
  });
});
