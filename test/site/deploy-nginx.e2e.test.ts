import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPS } from '../../pipeline/scan/finding.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';
import { createSiteFixture } from '../helpers/site-fixture.ts';
import { HOSTILE_URLS } from '../fixtures/hostile-urls.ts';

// The URLs a findings file can hold (the scan keeps at most 512 characters of a URL).
const STORABLE = HOSTILE_URLS.filter((url) => url.length <= CAPS.short);

// The published site behind the shipped server block: the strict CSP (no inline script), the
// dotfiles hidden, no version in the Server header, and a dashboard that still works.
describe('the shipped nginx server block (deploy/nginx.conf)', () => {
  let nginx: TestNginx;
  let browser: Browser;
  let linksPage = '';
  beforeAll(async () => {
    const dataDir = await createSiteFixture(STORABLE);
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-deploy-')), 'site');
    const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', siteDir], {});
    expect(build.exitCode, build.stderr).toBe(0);
    nginx = await startNginx(siteDir, readFileSync('deploy/nginx.conf', 'utf8'));
    browser = await launchBrowser();
    // The links image (sha256:ddd…) of the fixture has its page under its id's first 16 digits.
    linksPage = `images/${'d'.repeat(16)}.html`;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
  });

  it('passes nginx -t without a warning', async () => {
    const check = await execa('nginx', ['-t', '-c', nginx.conf, '-p', nginx.prefix], {
      reject: false,
    });
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stderr).not.toMatch(/\[warn\]/);
  });

  it('serves the site gzipped, with revalidation and a CSP without inline script', async () => {
    const response = await fetch(`${nginx.url}/index.html`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('server')).toBe('nginx');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(/script-src ([^;]*)/.exec(csp)![1]).toBe("'self'");
    expect((await fetch(`${nginx.url}/history`)).status).toBe(200);
    expect((await fetch(`${nginx.url}/assets/dockpeek.js`)).status).toBe(200);
  });

  it('hides dotfiles such as the build bookkeeping', async () => {
    expect((await fetch(`${nginx.url}/.dockpeek-pages.json`)).status).toBe(404);
    expect((await fetch(`${nginx.url}/images/.hidden`)).status).toBe(404);
  });

  it('keeps filters and tooltips working under that CSP', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${nginx.url}/index.html`);
    await page.getByLabel('Search').fill('gluetun');
    expect(await page.locator('tr[data-row]:visible').count()).toBe(5);
    const failed = page.locator('.scan-failed').first();
    await page.getByLabel('Search').fill('');
    await failed.focus();
    await expect.poll(() => page.locator('[role="tooltip"]:visible').count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await page.close();
  });

  it(`never turns the ${STORABLE.length} hostile advisory URLs into links, and clicking runs nothing`, async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`${nginx.url}/${linksPage}`);
    const ids = page.locator('table.findings tbody td:first-child');
    expect(await ids.count()).toBe(STORABLE.length);
    // Each id links to its own CVE page, and no advisory link is made of a hostile URL.
    const hrefs = await page
      .locator('table.findings a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toHaveLength(STORABLE.length);
    for (const href of hrefs) expect(href).toMatch(/^\.\.\/cves\/CVE-2099-\d+\.html$/);
    expect(await page.locator('a.advisory').count()).toBe(0);
    // Each CVE page lists its advisories: none of these is one, and nothing runs.
    for (const href of hrefs) {
      const cve = await browser.newPage();
      cve.on('dialog', (d) => dialogs.push(d.message()));
      await cve.goto(new URL(href, `${nginx.url}/${linksPage}`).href);
      expect(await cve.locator('h1').textContent()).toMatch(/^CVE-2099-\d+$/);
      expect(await cve.locator('ul.links a').count()).toBe(0);
      await cve.close();
    }
    expect(page.url()).toBe(`${nginx.url}/${linksPage}`);
    // Defence in depth: even a javascript: link that got into a page would be blocked by the CSP.
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'javascript:alert(1)';
      a.textContent = 'injected';
      document.body.append(a);
    });
    const refused = page.waitForEvent('console', (m) => /Content Security Policy/.test(m.text()));
    await page.getByText('injected').click();
    expect((await refused).text()).toMatch(
      /JavaScript URL violates the following Content Security Policy/,
    );
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
