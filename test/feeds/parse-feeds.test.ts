import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kevLinks } from '../../pipeline/feeds/kev-links.ts';
import { scanEpssFile } from '../../pipeline/feeds/read-epss.ts';
import { readKevFile } from '../../pipeline/feeds/read-kev.ts';
import { MADE_UP_COMMENT, madeUpEpssLines } from '../helpers/epss-files.ts';

const KEV = path.resolve(
  import.meta.dirname,
  '../fixtures/feeds/known_exploited_vulnerabilities.json',
);
const dir = mkdtempSync(path.join(tmpdir(), 'dpk-feed-parse-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};
const realKev = () => JSON.parse(readFileSync(KEV, 'utf8'));

describe('the CISA KEV catalogue', () => {
  it('reads the real catalogue: 1,404 entries, version and release date', async () => {
    const catalog = await readKevFile(KEV, 16 << 20, 'kev');
    expect(catalog).toMatchObject({
      catalogVersion: '2025.08.25',
      dateReleased: '2025-08-25T17:04:19.9796Z',
      count: 1404,
    });
    expect(catalog.vulnerabilities).toHaveLength(1404);
    const git = catalog.vulnerabilities.find((v) => v.cveID === 'CVE-2025-48384')!;
    expect(git).toMatchObject({
      dateAdded: '2025-08-25',
      dueDate: '2025-09-15',
      knownRansomwareCampaignUse: 'Unknown',
    });
    expect(
      catalog.vulnerabilities.filter((v) => v.knownRansomwareCampaignUse === 'Known'),
    ).toHaveLength(293);
    // Only http(s) URLs of the notes become links.
    expect(kevLinks(git)).toContain('https://nvd.nist.gov/vuln/detail/CVE-2025-48384');
    expect(
      kevLinks({
        notes:
          'see javascript:alert(1) ; https://user:pw@evil.example/x ; data:text/html,x ; http://ok.example/a',
      }),
    ).toEqual(['http://ok.example/a']);
  });

  const bad: Array<[string, () => string | Buffer, string, RegExp]> = [
    [
      'not JSON',
      () => '{"catalogVersion": "1",\n  "count": 1,,\n}',
      'invalid',
      /kev: not JSON: .*line 2 column/,
    ],
    ['not UTF-8', () => Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'invalid', /not UTF-8/],
    [
      'an entry without requiredAction',
      () => {
        const k = realKev();
        delete k.vulnerabilities[7].requiredAction;
        return JSON.stringify(k);
      },
      'invalid',
      /vulnerabilities\[7\]\.requiredAction: .*expected string/,
    ],
    [
      'a cveID that is not one',
      () => {
        const k = realKev();
        k.vulnerabilities[3].cveID = '<img src=x onerror=alert(1)>';
        return JSON.stringify(k);
      },
      'invalid',
      /vulnerabilities\[3\]\.cveID: not a CVE id/,
    ],
    [
      'a dueDate that is not a day',
      () => {
        const k = realKev();
        k.vulnerabilities[0].dueDate = 'soon';
        return JSON.stringify(k);
      },
      'invalid',
      /vulnerabilities\[0\]\.dueDate: not a date/,
    ],
    [
      'a megabyte of notes in one entry',
      () => {
        const k = realKev();
        k.vulnerabilities[1].notes = 'x'.repeat(1 << 20);
        return JSON.stringify(k);
      },
      'invalid',
      /vulnerabilities\[1\]\.notes: /,
    ],
    [
      'an array instead of the catalogue',
      () => '[1,2,3]',
      'invalid',
      /\(document\): .*expected object/,
    ],
    [
      'an empty list',
      () => JSON.stringify({ ...realKev(), vulnerabilities: [] }),
      'invalid',
      /vulnerabilities: empty/,
    ],
  ];
  it.each(bad)(
    '%s is refused with a reason naming the field',
    async (_, content, code, message) => {
      const file = write(`kev-${Math.random()}.json`, content());
      await expect(readKevFile(file, 16 << 20, 'kev')).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    },
  );

  it('a file over the cap is refused before it is read', async () => {
    await expect(readKevFile(KEV, 1 << 20, 'kev')).rejects.toMatchObject({
      code: 'too_large',
      message: /1\.2 MiB, more than 1 MiB/,
    });
  });
});

describe('EPSS scores', () => {
  const rows = (n: number, lines: string[] = []) =>
    [...madeUpEpssLines({ rows: n })].join('') + lines.join('');

  it('reads gzip and plain CSV, with the model version and score date', async () => {
    for (const [name, content] of [
      ['a.csv.gz', gzipSync(rows(1000))],
      ['a.csv', rows(1000)],
      ['crlf.csv', rows(1000).replace(/\n/g, '\r\n')],
    ] as const) {
      const seen: number[] = [];
      const scan = await scanEpssFile(write(name, content), {
        maxUnpacked: 1 << 20,
        what: name,
        onRow: (_, s) => seen.push(s.epss),
      });
      expect(scan).toEqual({
        meta: { modelVersion: 'v2025.03.14', scoreDate: '2025-08-25T00:00:00+0000' },
        rows: 1000,
        gzip: name.endsWith('.gz'),
      });
      expect(seen).toHaveLength(1000);
      expect(seen.every((s) => s >= 0 && s <= 1)).toBe(true);
    }
  });

  it('keeps only the rows asked for, without validating the others', async () => {
    const file = write('keep.csv.gz', gzipSync(rows(5000, ['CVE-2024-99999,not-a-number,0.1\n'])));
    const kept = new Map<string, number>();
    await scanEpssFile(file, {
      maxUnpacked: 1 << 20,
      what: 'x',
      keep: (cve) => cve === 'CVE-2000-100001',
      onRow: (cve, s) => kept.set(cve, s.epss),
    });
    expect([...kept.keys()]).toEqual(['CVE-2000-100001']);
    await expect(scanEpssFile(file, { maxUnpacked: 1 << 20, what: 'x' })).rejects.toMatchObject({
      code: 'invalid',
      message: 'x: line 5003: epss: not a decimal',
    });
  });

  const bad: Array<[string, () => string | Buffer, string, string | RegExp]> = [
    [
      'no comment line',
      () => rows(3).split('\n').slice(1).join('\n'),
      'invalid',
      /e: line 1: "cve,epss,percentile" is not #model_version/,
    ],
    [
      'a bad model version',
      () => rows(3).replace('v2025.03.14', 'v2025 03 14'),
      'invalid',
      'e: line 1: modelVersion: not a model version',
    ],
    [
      'another header',
      () => rows(3).replace('cve,epss,percentile', 'cve,percentile,epss'),
      'invalid',
      'e: line 2: header "cve,percentile,epss" is not cve,epss,percentile',
    ],
    [
      'a score above 1',
      () => rows(3, ['CVE-2024-0001,1.5,0.2\n']),
      'invalid',
      'e: line 6: epss: above 1',
    ],
    [
      'a negative percentile',
      () => rows(3, ['CVE-2024-0001,0.5,-0.2\n']),
      'invalid',
      'e: line 6: percentile: not a decimal',
    ],
    [
      'a fourth column',
      () => rows(3, ['CVE-2024-0001,0.5,0.2,9\n']),
      'invalid',
      'e: line 6: expected 3 columns (cve,epss,percentile)',
    ],
    [
      'markup as a CVE id',
      () => rows(3, ['<script>,0.5,0.2\n']),
      'invalid',
      'e: line 6: cve: not a CVE id (CVE-YYYY-NNNN)',
    ],
    [
      'a line without end',
      () => rows(3, ['CVE-2024-0001,0.'.padEnd(5000, '1')]),
      'invalid',
      'e: line 6 is longer than 1024 characters',
    ],
    [
      'only the header',
      () => `${MADE_UP_COMMENT}\ncve,epss,percentile\n`,
      'invalid',
      'e: no scores after the header',
    ],
    [
      'a missing column',
      () => rows(3, ['CVE-2024-0001,0.5\n']),
      'invalid',
      'e: line 6: expected 3 columns (cve,epss,percentile)',
    ],
    ['an empty file', () => '', 'invalid', 'e: empty'],
    [
      'a truncated gzip',
      () => gzipSync(rows(20_000)).subarray(0, 40_000),
      'bad_gzip',
      /unexpected end of file/,
    ],
    [
      'a gzip bomb',
      () => gzipSync(rows(200_000)),
      'too_large',
      'e: more than 1 MiB once gunzipped',
    ],
  ];
  it.each(bad)('%s is refused with a reason naming the line', async (_, content, code, message) => {
    const file = write(`e-${Math.random()}`, content());
    const error = await scanEpssFile(file, { maxUnpacked: 1 << 20, what: 'e' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code });
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });
});
