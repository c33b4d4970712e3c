import { describe, expect, it } from 'vitest';
import { safeLink } from '../../../pipeline/site/model/safe-link.ts';
import { HOSTILE_URLS } from '../../fixtures/hostile-urls.ts';

describe('safeLink', () => {
  it.each(HOSTILE_URLS.map((u) => [u]))('keeps %j as text', (url) => {
    expect(safeLink(url)).toBeUndefined();
  });

  it.each([
    ['https://avd.aquasec.com/nvd/cve-2024-3094', 'https://avd.aquasec.com/nvd/cve-2024-3094'],
    [
      '  https://nvd.nist.gov/vuln/detail/CVE-2024-3094  ',
      'https://nvd.nist.gov/vuln/detail/CVE-2024-3094',
    ],
    ['HTTP://Example.COM/a b', 'http://example.com/a%20b'],
    ['https://example.com/x?"><script>', 'https://example.com/x?%22%3E%3Cscript%3E'],
  ])('links %j as %j', (url, href) => {
    expect(safeLink(url)).toBe(href);
  });
});
