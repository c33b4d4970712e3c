import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCveCollector } from '../../pipeline/site/model/cves.ts';
import type { MarkedFinding } from '../../pipeline/site/model/findings.ts';
import { SearchIndexSchema } from '../../pipeline/site/model/schema/cves.ts';
import type { ImagePage } from '../../pipeline/site/model/schema/images.ts';
import { SEARCH_INDEX, writeSearchIndex } from '../../pipeline/site/render/client-bundle.ts';
import { lookUp, type SearchIndex } from '../../src/client/search.ts';

// Package names and CVE ids come from image authors, queries from whoever types: any string,
// "__proto__" and "constructor" included, must build a valid search index, survive the script
// the build writes, and find exactly the images whose findings contain the query.
fc.configureGlobal({ numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) });

/** Names every object has, or that change an object when used as a key. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
  'prototype',
];
const IMAGES = 4;

const text = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES, ...PROTOTYPE_NAMES.map((n) => n.toUpperCase()), ''),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const cveId = fc.oneof(
  text,
  fc
    .tuple(fc.constantFrom('CVE', 'cve', 'GHSA', 'DLA'), fc.nat({ max: 40 }))
    .map(([prefix, n]) => `${prefix}-2024-${n}`),
);
const found = fc.record({ image: fc.nat({ max: IMAGES - 1 }), id: cveId, pkg: text });

/** A finding of the fleet, as the model's collector sees it. */
const finding = (f: { id: string; pkg: string }): MarkedFinding => ({
  id: f.id,
  pkg: f.pkg,
  installed: '1.0',
  severity: 'high',
  target: 'debian 12',
});
const slugOf = (image: number) => `image${image}`;
const site = mkdtempSync(path.join(tmpdir(), 'dpk-keys-'));

/** The search index the build writes for these findings, read back the way a browser does. */
async function buildIndex(
  findings: Array<{ image: number; id: string; pkg: string }>,
): Promise<SearchIndex> {
  const cves = createCveCollector();
  for (const f of findings) cves.add(finding(f), `key${f.image}`);
  const pages = Array.from(
    { length: IMAGES },
    (_, i) => ({ key: `key${i}`, slug: slugOf(i) }) as ImagePage,
  );
  const paged = new Set(findings.filter((_, i) => i % 2 === 0).map((f) => f.id));
  const index = cves.index(pages, paged);
  // The model validates it: a name must never fail the build (nor be dropped by the schema).
  expect(SearchIndexSchema.parse(index)).toEqual(index);
  await writeSearchIndex(site, index);
  const window: { dockpeekSearch?: SearchIndex } = {};
  runInNewContext(readFileSync(path.join(site, SEARCH_INDEX), 'utf8'), { window });
  return window.dockpeekSearch!;
}

/** The oracle: images whose findings have a package name containing the query, or the CVE id. */
function expectedImages(findings: Array<{ image: number; id: string; pkg: string }>, q: string) {
  const query = q.trim().toLowerCase();
  if (query.length < 2) return [];
  const exact = findings.some((f) => f.id.toLowerCase() === query);
  const prefix = !exact && /^[a-z]+-\d/.test(query);
  const images = findings.filter((f) => {
    const id = f.id.toLowerCase();
    return f.pkg.toLowerCase().includes(query) || id === query || (prefix && id.startsWith(query));
  });
  return [...new Set(images.map((f) => slugOf(f.image)))].sort();
}

describe('property: any package name, CVE id or query', () => {
  it('builds a valid index and finds exactly the images carrying it', async () => {
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(found, { maxLength: 24 }),
        fc.oneof(text, cveId),
        fc.nat(),
        async (findings, typed, pick) => {
          const index = await buildIndex(findings);
          // A query taken from the data too: a name or an id as typed, or a piece of one.
          const chosen = findings[pick % Math.max(findings.length, 1)];
          const fromData = chosen ? [chosen.id, chosen.pkg, chosen.pkg.slice(1, -1)] : [];
          for (const q of [typed, ...PROTOTYPE_NAMES, ...fromData]) {
            const hit = lookUp(index, q);
            if (hit) hits += 1;
            expect([...(hit?.images ?? [])].sort(), JSON.stringify(q)).toEqual(
              expectedImages(findings, q),
            );
          }
        },
      ),
    );
    // Most runs find something: the property is not only about empty results.
    expect(hits).toBeGreaterThan(300);
  });

  it('keeps every name and id of the fleet in the index, prototype names included', async () => {
    const findings = PROTOTYPE_NAMES.map((name, i) => ({ image: i % IMAGES, id: name, pkg: name }));
    const index = await buildIndex(findings);
    expect(index.packages.map(([name]) => name).sort()).toEqual(
      PROTOTYPE_NAMES.map((n) => n.toLowerCase()).sort(),
    );
    expect(index.cves.map((c) => c.id).sort()).toEqual([...PROTOTYPE_NAMES].sort());
    for (const name of PROTOTYPE_NAMES)
      expect([...lookUp(index, name)!.images]).toContain(
        slugOf(PROTOTYPE_NAMES.indexOf(name) % IMAGES),
      );
  });
});
