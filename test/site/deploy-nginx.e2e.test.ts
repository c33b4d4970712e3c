import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';

describe('the shipped nginx server block (deploy/nginx.conf)', () => {
  let nginx: TestNginx;
  beforeAll(async () => {
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-deploy-')), 'site');
    const demo = await runCli(['demo', '--site-dir', siteDir, '--quiet'], {});
    expect(demo.exitCode, demo.stderr).toBe(0);
    nginx = await startNginx(siteDir, readFileSync('deploy/nginx.conf', 'utf8'));
  }, 120_000);
  afterAll(() => nginx?.stop());

  it('serves the site gzipped, with revalidation and a strict CSP', async () => {
    const response = await fetch(`${nginx.url}/index.html`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${nginx.url}/history`)).status).toBe(200);
  });

  it('lets the page and its inline script work under that CSP', async () => {
    const browser = await launchBrowser();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${nginx.url}/index.html`);
    await page.getByLabel('Search').fill('gluetun');
    expect(await page.locator('tr[data-row]:visible').count()).toBe(5);
    expect(violations).toEqual([]);
    await browser.close();
  });
});
