import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cveSlug, imageSlug } from '../../pipeline/findings/ids.ts';
import type { SearchIndex } from '../../pipeline/site/model/index.ts';
import { runCli } from '../helpers/cli.ts';
import { parseHtml, type Parsed } from '../helpers/parse-html.ts';
import {
  KEYS_IMAGE_ID,
  PROTOTYPE_NAMES,
  createPrototypeKeysFixture,
} from '../helpers/site-fixture.ts';

// Package names, CVE ids, image references and stacks come from images and hosts we do not
// trust. Named like Object.prototype's properties, they are data like any other: the build
// succeeds and the pages and the search index list them.
describe('a fleet whose names are "__proto__", "constructor", "hasOwnProperty", "toString"', () => {
  let site = '';
  const page = (file: string): Parsed => parseHtml(readFileSync(path.join(site, file), 'utf8'));
  /** The row of a container on the home page: its attributes and its text. */
  const rowOf = (name: string) => {
    const html = readFileSync(path.join(site, 'index.html'), 'utf8');
    const row = new RegExp(`<tr data-row id="c-[^"]*-${name}".*?</tr>`, 's').exec(html)![0];
    const parsed = parseHtml(row);
    return { attrs: new Map(parsed.tags[0]!.attrs), text: parsed.texts.join(' ') };
  };

  beforeAll(async () => {
    const dataDir = await createPrototypeKeysFixture();
    site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-proto-site-')), 'site');
    const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {});
    expect(build.exitCode, build.stderr).toBe(0);
  });

  it('lists every package and CVE id on the image page', () => {
    const texts = page(`images/${imageSlug(KEYS_IMAGE_ID)}.html`).texts.map((t) => t.trim());
    for (const name of PROTOTYPE_NAMES) {
      expect(texts, name).toContain(name);
      expect(texts, name).toContain(`CVE-2099-710${PROTOTYPE_NAMES.indexOf(name)}`);
    }
  });

  it('gives each CVE id its page and lists it in the CVE index', () => {
    const index = page('cves.html').texts.map((t) => t.trim());
    for (const id of PROTOTYPE_NAMES) {
      expect(index, id).toContain(id);
      const file = `cves/${cveSlug(id)}.html`;
      expect(existsSync(path.join(site, file)), file).toBe(true);
      expect(
        page(file).texts.map((t) => t.trim()),
        file,
      ).toContain(id);
    }
  });

  it('shows the containers of both images, neither with an update record', () => {
    const keys = rowOf('constructor');
    expect(keys.attrs.get('data-state')).toBe('vulnerable');
    expect(keys.attrs.get('data-image')).toBe(imageSlug(KEYS_IMAGE_ID));
    expect(keys.text).toContain('not checked');
    // The reference no Docker accepts failed its own scan, with a code.
    const proto = rowOf('proto');
    expect(proto.attrs.get('data-state')).toBe('failed');
    expect(proto.text).toContain('scan failed · image_invalid');
    expect(proto.text).toContain('not checked');
  });

  it('indexes every package name and CVE id for the search box', () => {
    const window: { dockpeekSearch?: SearchIndex } = {};
    runInNewContext(readFileSync(path.join(site, 'assets', 'search-index.js'), 'utf8'), { window });
    const index = window.dockpeekSearch!;
    const names = new Set(index.packages.map(([name]) => name));
    const ids = new Set(index.cves.map((c) => c.id));
    for (const name of PROTOTYPE_NAMES) {
      expect(names, name).toContain(name.toLowerCase());
      expect(ids, name).toContain(name);
    }
  });
});
