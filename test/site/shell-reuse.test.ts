import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CvePage } from '../../pipeline/site/model/index.ts';
import {
  locateShell,
  pageFingerprint,
  recordRendered,
  reuseShellPages,
  shellOf,
  shellPageFile,
  type ShellCandidate,
  type ShellPage,
} from '../../pipeline/site/render/shell-reuse.ts';

// What the renderer answers: the shell page (an empty main) and CVE or image pages around a shell.
const head = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body>`;
const shellMarkup = (ages: string) =>
  // Astro does not escape `<` in attribute values: a feed's failure message could hold `<main`.
  `<header class="site" data-x><span title="<main x>">${ages}</span></header><div class="banner">stale</div>`;
const page = (title: string, ages: string, body: string) =>
  Buffer.from(
    `${head(title)}${shellMarkup(ages)}<main data-x>${body}</main><script></script></body></html>`,
  );
const cve = (id: string, hosts = ['nas']): CvePage => ({
  id,
  slug: id,
  severity: 'high',
  links: [],
  packages: [],
  fixable: false,
  images: [],
  containers: 1,
  hosts,
  firstSeen: null,
});
const candidate = (entry: CvePage): ShellCandidate => ({ folder: 'cves', slug: entry.slug, entry });
const cvePagePath = (slug: string) => shellPageFile({ folder: 'cves', slug });

describe('the shell of CVE and image pages', () => {
  it('is cut from the shell page from the header to its main element', () => {
    const shell = shellOf(page('', 'snapshot 1 h ago', ''));
    expect(shell.toString()).toBe(shellMarkup('snapshot 1 h ago'));
    expect(() => shellOf(Buffer.from('<html></html>'))).toThrow(/no shell/);
  });

  it('is found in a page that carries it, and only there', () => {
    const shell = shellOf(page('', 'now', ''));
    const rendered = page('CVE-1 &lt;main&gt;', 'now', '<h1>CVE-1</h1>');
    expect(locateShell(rendered, shell)).toEqual([head('CVE-1 &lt;main&gt;').length, shell.length]);
    expect(locateShell(page('CVE-1', 'another build', ''), shell)).toBeUndefined();
  });

  it('changes with the code and the model entry, not otherwise', () => {
    const a = pageFingerprint('v1', cve('CVE-1'));
    expect(pageFingerprint('v1', cve('CVE-1'))).toBe(a);
    expect(pageFingerprint('v2', cve('CVE-1'))).not.toBe(a);
    expect(pageFingerprint('v1', cve('CVE-1', ['nas', 'server']))).not.toBe(a);
  });
});

describe('reuseShellPages', () => {
  const release = mkdtempSync(path.join(tmpdir(), 'dpk-cve-release-'));
  mkdirSync(path.join(release, 'cves'));
  const oldShell = shellOf(page('', 'snapshot 1 h ago', ''));
  const records: Record<string, ShellPage> = {};
  for (const id of ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4']) {
    const bytes = page(id, 'snapshot 1 h ago', `<h1>${id}</h1>`);
    writeFileSync(path.join(release, cvePagePath(id)), bytes);
    records[cvePagePath(id)] = {
      fingerprint: pageFingerprint('v1', cve(id)),
      shell: locateShell(bytes, oldShell)!,
    };
  }
  // CVE-3's copy was changed after it was recorded; CVE-4's copy is gone.
  writeFileSync(path.join(release, cvePagePath('CVE-3')), page('CVE-3', 'x', '<h1>CVE-3</h1>'));
  rmSync(path.join(release, cvePagePath('CVE-4')));

  it('copies the unchanged pages with the new shell and renders the others', () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'dpk-cve-out-'));
    const shell = shellOf(page('', 'snapshot 2 days ago, feeds failed', ''));
    const cves = ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4', 'CVE-5'].map((id) =>
      id === 'CVE-2' ? cve(id, ['nas', 'server']) : cve(id),
    );
    const reuse = reuseShellPages({
      pages: cves.map(candidate),
      codeHash: 'v1',
      shell,
      outDir,
      previousRelease: release,
      previous: records,
    });
    // CVE-2 changed, CVE-3 and CVE-4 have no fitting copy, CVE-5 is new.
    expect(reuse.render.map((page) => page.slug)).toEqual(['CVE-2', 'CVE-3', 'CVE-4', 'CVE-5']);
    expect(reuse.reused).toEqual({ cves: 1, images: 0 });
    const copied = readFileSync(path.join(outDir, cvePagePath('CVE-1')));
    expect(copied.toString()).toBe(
      page('CVE-1', 'snapshot 2 days ago, feeds failed', '<h1>CVE-1</h1>').toString(),
    );
    expect(reuse.records[cvePagePath('CVE-1')]).toEqual({
      fingerprint: records[cvePagePath('CVE-1')]!.fingerprint,
      shell: locateShell(copied, shell),
    });
    // A rendered page is recorded only when it carries this build's shell.
    const rendered = (id: string, ages: string) => page(id, ages, '');
    recordRendered(
      reuse,
      cvePagePath('CVE-2'),
      rendered('CVE-2', 'snapshot 2 days ago, feeds failed'),
      shell,
    );
    recordRendered(reuse, cvePagePath('CVE-5'), rendered('CVE-5', 'some other header'), shell);
    expect(reuse.records[cvePagePath('CVE-2')]?.fingerprint).toBe(pageFingerprint('v1', cves[1]!));
    expect(reuse.records[cvePagePath('CVE-5')]).toBeUndefined();
  });

  it('keeps each folder apart: an image page is not the CVE page of the same slug', () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'dpk-cve-out-'));
    const shell = shellOf(page('', 'now', ''));
    const reuse = reuseShellPages({
      pages: [{ folder: 'images', slug: 'CVE-1', entry: cve('CVE-1') }],
      codeHash: 'v1',
      shell,
      outDir,
      previousRelease: release,
      previous: records,
    });
    expect(reuse.render.map(shellPageFile)).toEqual([path.join('images', 'CVE-1.html')]);
    expect(reuse.reused).toEqual({ cves: 0, images: 0 });
  });

  it('renders every page for new code or without a published release', () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'dpk-cve-out-'));
    const shell = shellOf(page('', 'now', ''));
    const given = { pages: [candidate(cve('CVE-1'))], shell, outDir, previous: records };
    const slugs = (reuse: { render: ShellCandidate[] }) => reuse.render.map((p) => p.slug);
    expect(slugs(reuseShellPages({ ...given, codeHash: 'v2', previousRelease: release }))).toEqual([
      'CVE-1',
    ]);
    expect(slugs(reuseShellPages({ ...given, codeHash: 'v1' }))).toEqual(['CVE-1']);
  });
});
