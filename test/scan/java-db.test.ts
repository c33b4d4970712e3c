import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaDbDue } from '../../pipeline/scan/java-db.ts';

const DAY = 24 * 3600e3;
function cache(meta: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-javadb-'));
  mkdirSync(path.join(dir, 'java-db'));
  writeFileSync(path.join(dir, 'java-db', 'metadata.json'), JSON.stringify(meta));
  return dir;
}

describe("whether the Java DB is due, by Trivy's rule", () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();
  it.each([
    [
      'fresh: NextUpdate ahead',
      { Version: 1, NextUpdate: at(DAY), DownloadedAt: at(-2 * DAY) },
      false,
    ],
    [
      'NextUpdate passed, downloaded 2 days ago',
      { Version: 1, NextUpdate: at(-1), DownloadedAt: at(-2 * DAY) },
      true,
    ],
    [
      'NextUpdate passed, downloaded an hour ago',
      { Version: 1, NextUpdate: at(-1), DownloadedAt: at(-3600e3) },
      false,
    ],
    ['another schema', { Version: 2, NextUpdate: at(DAY), DownloadedAt: at(0) }, true],
    ['unreadable metadata', 'not json', true],
  ])('%s → due: %s', (_, meta, due) => {
    expect(javaDbDue(cache(meta), now)).toBe(due);
  });
});
