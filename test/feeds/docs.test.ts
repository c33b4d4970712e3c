import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, describeRange } from '../../pipeline/config/settings.ts';
import { DEFAULT_FEED_URLS } from '../../pipeline/feeds/sources.ts';
import { FEED_ERROR_CODES, VEX_ERROR_CODES } from '../../pipeline/vocabulary.ts';
import { loadDocs } from '../helpers/vex-docs.ts';

// docs/feeds.md and docs/accepted-risk.md say what the code does: every setting with its default
// and range, every error code, the default URLs, and examples that parse.
const doc = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, '../../docs', name), 'utf8');

describe('feed and accepted-risk docs', () => {
  type FeedSetting =
    'feedMaxAge' | 'feedTimeout' | 'kevMaxSize' | 'epssMaxSize' | 'epssMaxUnpacked' | 'vexMaxSize';
  const cases: Array<[FeedSetting, string]> = [
    ['feedMaxAge', 'feeds.md'],
    ['feedTimeout', 'feeds.md'],
    ['kevMaxSize', 'feeds.md'],
    ['epssMaxSize', 'feeds.md'],
    ['epssMaxUnpacked', 'feeds.md'],
    ['vexMaxSize', 'accepted-risk.md'],
  ];
  it.each(cases)('%s: variable, default and range in docs/%s', (key, file) => {
    const setting = SETTINGS[key];
    const row = doc(file)
      .split('\n')
      .find((line) => line.startsWith(`| \`${setting.env}\``));
    expect(row, `${setting.env} row`).toBeDefined();
    expect(row).toContain(`\`${setting.default}\``);
    expect(row).toContain(describeRange(setting));
  });

  it('every error code and the default URLs are documented', () => {
    for (const code of FEED_ERROR_CODES) expect(doc('feeds.md')).toContain(`| \`${code}\``);
    for (const code of VEX_ERROR_CODES) expect(doc('accepted-risk.md')).toContain(`| \`${code}\``);
    for (const url of Object.values(DEFAULT_FEED_URLS))
      expect(doc('feeds.md')).toContain(`\`${url}\``);
  });

  it('the accepted-risk examples are valid documents', async () => {
    const text = doc('accepted-risk.md');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(text)![1]!;
    const json = /```json\n([\s\S]*?)```/.exec(text)![1]!;
    const loaded = await loadDocs({ '.trivyignore.yaml': yaml, 'example.openvex.json': json });
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules.map((r) => `${r.format} ${r.vulnerability}`)).toEqual([
      'trivyignore CVE-2025-24813',
      'trivyignore CVE-2023-6378',
      'openvex CVE-2019-1551',
    ]);
  });
});
