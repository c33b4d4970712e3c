import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEpssScores, loadKevIndex, readFeedInfo } from '../../pipeline/feeds/read-feeds.ts';
import type { Reporter } from '../../pipeline/reporter.ts';
import { resolveFeedsConfig, runFeedsStage } from '../../pipeline/stages/feeds-stage.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { writeMadeUpEpss } from '../helpers/epss-files.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/feeds');
const KEV = path.join(FIXTURES, 'known_exploited_vulnerabilities.json');
const EPSS = path.join(FIXTURES, 'epss-made-up-small.csv');
const feedsJson = (dataDir: string) =>
  JSON.parse(readFileSync(path.join(dataDir, 'feeds', 'feeds.json'), 'utf8'));

/** A reporter that keeps the lines. */
function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  const keep = (prefix: string) => (line: string) => void lines.push(prefix + line);
  return {
    lines,
    info: keep(''),
    warn: keep('warning: '),
    error: keep('error: '),
    ok: (t) => t,
    bad: (t) => t,
    dim: (t) => t,
  };
}

describe('feeds from local files (offline)', () => {
  it('--from tells KEV from EPSS, stores both with their record, and the read API serves them', async () => {
    const dataDir = makeDataDir();
    const epss = path.join(dataDir, '..', `${path.basename(dataDir)}-epss-made-up-2k.csv.gz`);
    await writeMadeUpEpss(epss, { rows: 2000, include: ['CVE-2025-24813', 'CVE-2025-48384'] });
    const run = await runCli(['feeds', '--from', KEV, epss], { DOCKPEEK_DATA_DIR: dataDir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^feeds: kev ok: 1404 entries, catalog 2025\.08\.25, 1\.2 MiB from .*known_exploited_vulnerabilities\.json in /m,
    );
    expect(run.stderr).toMatch(
      /^feeds: epss ok: 2000 scores, model v2025\.03\.14, scores of 2025-08-25, \d+(\.\d)? KiB from .*epss-made-up-2k\.csv\.gz in /m,
    );
    const record = feedsJson(dataDir);
    expect(record.kev.stored).toMatchObject({
      feed: 'kev',
      source: KEV,
      entries: 1404,
      catalogVersion: '2025.08.25',
      dateReleased: '2025-08-25T17:04:19.9796Z',
      bytes: 1257565,
      sha256: expect.stringMatching(/^901b1f22/),
    });
    expect(record.epss.stored).toMatchObject({
      feed: 'epss',
      source: epss,
      entries: 2000,
      modelVersion: 'v2025.03.14',
      scoreDate: '2025-08-25T00:00:00+0000',
      file: expect.stringMatching(/\.csv\.gz$/),
    });
    expect(record.kev.lastAttempt).toMatchObject({ ok: true, source: KEV });

    const kev = await loadKevIndex(dataDir);
    expect(kev?.entries.size).toBe(1404);
    expect(kev?.entries.get('CVE-2025-24813')).toMatchObject({
      vendorProject: 'Apache',
      product: 'Tomcat',
      knownRansomwareCampaignUse: expect.any(String),
    });
    const scores = await loadEpssScores(dataDir, [
      'CVE-2025-24813',
      'CVE-2025-48384',
      'CVE-1900-0001',
    ]);
    expect([...scores!.scores.keys()].sort()).toEqual(['CVE-2025-24813', 'CVE-2025-48384']);
    expect(scores!.meta.modelVersion).toBe('v2025.03.14');

    const fetched = Date.parse(record.kev.stored.fetchedAt);
    const info = await readFeedInfo(dataDir, new Date(fetched + 90 * 60_000));
    expect(info.kev.ageMs).toBe(90 * 60_000);
    expect(info.epss.stored?.entries).toBe(2000);
  });

  it('a bad feed fails with its reason (exit 2) and the previous copy stays in use', async () => {
    const dataDir = makeDataDir();
    expect(
      (await runCli(['feeds', '--kev', KEV, '--epss', EPSS], { DOCKPEEK_DATA_DIR: dataDir }))
        .exitCode,
    ).toBe(0);
    const before = feedsJson(dataDir);
    const bad = path.join(dataDir, '..', `${path.basename(dataDir)}-kev-bad.json`);
    const kev = JSON.parse(readFileSync(KEV, 'utf8'));
    kev.vulnerabilities[12].cveID = 'CVE-NOPE';
    writeFileSync(bad, JSON.stringify(kev));
    const run = await runCli(['feeds', '--kev', bad], { DOCKPEEK_DATA_DIR: dataDir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^warning: feeds: kev failed \[invalid\] .*kev-bad\.json: vulnerabilities\[12\]\.cveID: not a CVE id \(CVE-YYYY-NNNN\); kept the copy fetched .* \(1404 entries, catalog 2025\.08\.25\)$/m,
    );
    const after = feedsJson(dataDir);
    expect(after.kev.stored).toEqual(before.kev.stored);
    expect(after.epss).toEqual(before.epss);
    expect(after.kev.lastAttempt).toMatchObject({
      ok: false,
      source: bad,
      error: { code: 'invalid' },
    });
    expect((await loadKevIndex(dataDir))?.entries.size).toBe(1404);
    // Only the stored copies and the record are left: no temp file of the failed download.
    expect(readdirSync(path.join(dataDir, 'feeds')).sort()).toEqual(
      [before.epss.stored.file, 'feeds.json', before.kev.stored.file].sort(),
    );
  });

  it('a catalogue whose count disagrees with its list is stored, with a warning', async () => {
    const dataDir = makeDataDir();
    const kev = JSON.parse(readFileSync(KEV, 'utf8'));
    kev.count = 1405;
    const file = path.join(dataDir, '..', `${path.basename(dataDir)}-kev-count.json`);
    writeFileSync(file, JSON.stringify(kev));
    const run = await runCli(['feeds', '--kev', file], { DOCKPEEK_DATA_DIR: dataDir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: feeds: .*kev-count\.json: count says 1405 but the list has 1404 entries$/m,
    );
    expect(feedsJson(dataDir).kev.stored.entries).toBe(1404);
  });

  it('a missing file fails as unreachable; a file that is neither feed is a usage error', async () => {
    const dataDir = makeDataDir();
    const missing = await runCli(['feeds', '--epss', path.join(dataDir, 'nope.csv.gz')], {
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /feeds: epss failed \[unreachable\] .*nope\.csv\.gz: ENOENT .*; there is no previous copy$/m,
    );
    const readme = await runCli(['feeds', '--from', path.join(FIXTURES, 'README.md')], {
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(readme.exitCode).toBe(1);
    expect(readme.stderr).toMatch(/cannot tell which feed this is .*\[usage\]/);
    const twice = await runCli(['feeds', '--kev', KEV, '--from', KEV], {
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(twice.stderr).toMatch(/gives a second kev source \[usage\]/);
  });

  const config: Array<[string, Record<string, string>, RegExp]> = [
    [
      'an ftp URL',
      { DOCKPEEK_KEV_URL: 'ftp://example.invalid/kev.json' },
      /DOCKPEEK_KEV_URL="ftp:\/\/example\.invalid\/kev\.json" is not an http\(s\) URL/,
    ],
    [
      'a URL with credentials',
      { DOCKPEEK_EPSS_URL: 'https://me:secret@example.invalid/e.csv.gz' },
      /DOCKPEEK_EPSS_URL=.* contains credentials/,
    ],
    [
      'a cap below its range',
      { DOCKPEEK_EPSS_MAX_SIZE: '10' },
      /DOCKPEEK_EPSS_MAX_SIZE="10" is out of range/,
    ],
    [
      'an unpacked cap above its range',
      { DOCKPEEK_EPSS_MAX_UNPACKED: '5GiB' },
      /DOCKPEEK_EPSS_MAX_UNPACKED="5GiB" is out of range/,
    ],
    ['a zero timeout', { DOCKPEEK_FEED_TIMEOUT: '0' }, /DOCKPEEK_FEED_TIMEOUT="0" is out of range/],
    [
      'a KEV cap that is not a size',
      { DOCKPEEK_KEV_MAX_SIZE: 'big' },
      /DOCKPEEK_KEV_MAX_SIZE="big" is not a size/,
    ],
    [
      'a max age that is not a duration',
      { DOCKPEEK_FEEDS_MAX_AGE: 'daily' },
      /DOCKPEEK_FEEDS_MAX_AGE="daily" is not a duration/,
    ],
  ];
  it.each(config)(
    'configuration: %s is refused up front (exit 1, nothing written)',
    async (_, env, message) => {
      const dataDir = path.join(makeDataDir(), 'data');
      const run = await runCli(['feeds'], { DOCKPEEK_DATA_DIR: dataDir, ...env });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/\[config_invalid\]/);
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it('without stored feeds the read API answers null, and a damaged copy reads as null too', async () => {
    const dataDir = makeDataDir();
    expect(await loadKevIndex(dataDir)).toBeNull();
    expect(await loadEpssScores(dataDir, ['CVE-2025-24813'])).toBeNull();
    expect(await readFeedInfo(dataDir)).toMatchObject({
      kev: { stored: null, ageMs: null, lastAttempt: null },
      epss: { stored: null },
    });
    expect(
      (await runCli(['feeds', '--kev', KEV, '--epss', EPSS], { DOCKPEEK_DATA_DIR: dataDir }))
        .exitCode,
    ).toBe(0);
    const record = feedsJson(dataDir);
    writeFileSync(path.join(dataDir, 'feeds', record.epss.stored.file), 'garbage');
    rmSync(path.join(dataDir, 'feeds', record.kev.stored.file));
    expect(await loadKevIndex(dataDir)).toBeNull();
    expect(await loadEpssScores(dataDir, ['CVE-2019-1549'])).toBeNull();
    writeFileSync(path.join(dataDir, 'feeds', 'feeds.json'), '{"schemaVersion": 1, "kev": 12}');
    expect((await readFeedInfo(dataDir)).kev.stored).toBeNull();
  });
});

describe('the feeds stage of refresh', () => {
  it('downloads only feeds older than DOCKPEEK_FEEDS_MAX_AGE, at the time it is given', async () => {
    const dataDir = makeDataDir();
    const config = await resolveFeedsConfig(
      {},
      { DOCKPEEK_KEV_URL: KEV, DOCKPEEK_EPSS_URL: EPSS, DOCKPEEK_FEEDS_MAX_AGE: '24h' },
    );
    const t0 = new Date('2026-11-25T06:00:00Z');
    const first = await runFeedsStage(dataDir, config, recorder(), {
      onlyOlderThanMaxAge: true,
      now: t0,
    });
    expect(first.outcomes.map((o) => o.ok)).toEqual([true, true]);

    const out = recorder();
    const fresh = await runFeedsStage(dataDir, config, out, {
      onlyOlderThanMaxAge: true,
      now: new Date('2026-11-26T05:59:59Z'),
    });
    expect(fresh).toEqual({ degraded: false, outcomes: [] });
    expect(out.lines[0]).toMatch(
      /^feeds: kev is 24\.0 h old \(1404 entries, catalog 2025\.08\.25\); kept$/,
    );

    // A leftover of a killed download is swept by the next one.
    writeFileSync(path.join(dataDir, 'feeds', '.kev-download-deadbeef.tmp'), 'half');
    const stale = await runFeedsStage(dataDir, config, recorder(), {
      onlyOlderThanMaxAge: true,
      now: new Date('2026-11-26T06:00:00Z'),
    });
    expect(stale.outcomes.map((o) => `${o.feed} ${o.ok}`)).toEqual(['kev true', 'epss true']);
    expect(feedsJson(dataDir).kev.stored.fetchedAt).toBe('2026-11-26T06:00:00.000Z');
    expect(existsSync(path.join(dataDir, 'feeds', '.kev-download-deadbeef.tmp'))).toBe(false);
  });
});
