import { cveSlug } from '../../findings/ids.ts';
import type { MarkedFinding } from '../../findings/judge.ts';
import { severityRank, type Severity } from '../../vocabulary.ts';
import { shorten } from '../../safe-text.ts';
import type { CvePage, SearchIndex } from './schema/cves.ts';
import type { ImagePlaces } from './images.ts';
import type { ImagePage } from './schema/images.ts';
import { safeLink } from './safe-link.ts';

const MAX_DESCRIPTION = 1200;
const MAX_LINKS = 8;
const MAX_PACKAGES = 50;
/** CVE pages made at most; a hostile report with 100,000 ids does not make 100,000 pages. */
export const MAX_CVE_PAGES = 5000;
const MAX_INDEXED = 50_000;

interface Gathered {
  id: string;
  severity: Severity;
  title?: string;
  description?: string;
  cvss?: number;
  cvssVersion?: 2 | 4;
  links: Set<string>;
  packages: Map<string, { pkg: string; installed: string; fixed?: string }>;
  fixable: boolean;
  images: Set<string>;
  kev?: MarkedFinding['kev'];
}

/**
 * Gathers, while findings stream past, what the CVE pages and the search index need: one compact
 * record per vulnerability id, never the findings themselves.
 */
export function createCveCollector() {
  const byId = new Map<string, Gathered>();
  const packages = new Map<string, Set<string>>();
  return {
    /** One finding of the image `key`. */
    add(f: MarkedFinding, key: string): void {
      let g = byId.get(f.id);
      if (!g) {
        if (byId.size >= MAX_INDEXED) return;
        g = {
          id: f.id,
          severity: f.severity,
          links: new Set(),
          packages: new Map(),
          fixable: false,
          images: new Set(),
        };
        byId.set(f.id, g);
      }
      if (severityRank(f.severity) < severityRank(g.severity)) g.severity = f.severity;
      if (!g.title && f.title) g.title = shorten(f.title, 300);
      if (!g.description && f.description) g.description = shorten(f.description, MAX_DESCRIPTION);
      if (f.cvss !== undefined && (g.cvss === undefined || f.cvss > g.cvss)) {
        g.cvss = f.cvss;
        g.cvssVersion = f.cvssVersion;
      }
      for (const url of [f.url, ...(f.references ?? [])]) {
        const link = g.links.size < MAX_LINKS ? safeLink(url) : undefined;
        if (link) g.links.add(link);
      }
      const pkgKey = `${f.pkg}\u0000${f.installed}`;
      if (g.packages.size < MAX_PACKAGES && !g.packages.has(pkgKey))
        g.packages.set(pkgKey, {
          pkg: f.pkg,
          installed: f.installed,
          ...(f.fixed && { fixed: f.fixed }),
        });
      g.fixable ||= Boolean(f.fixed);
      g.kev ??= f.kev;
      g.images.add(key);
      if (f.pkg && packages.size < MAX_INDEXED) {
        const name = f.pkg.toLowerCase();
        if (!packages.has(name)) packages.set(name, new Set());
        packages.get(name)!.add(key);
      }
    },

    /** The CVE pages (the most severe and widespread first, at most MAX_CVE_PAGES). */
    pages(images: ImagePlaces, firstSeen: Map<string, string>): CvePage[] {
      const containersOf = (g: Gathered) =>
        [...g.images].reduce((n, key) => n + (images.get(key)?.containers.length ?? 0), 0);
      return [...byId.values()]
        .map((g) => ({ g, containers: containersOf(g) }))
        .sort(
          (a, b) =>
            severityRank(a.g.severity) - severityRank(b.g.severity) ||
            b.containers - a.containers ||
            a.g.id.localeCompare(b.g.id),
        )
        .slice(0, MAX_CVE_PAGES)
        .map(({ g, containers }) => {
          const affected = [...g.images].flatMap((key) => {
            const page = images.get(key);
            return page
              ? [
                  {
                    slug: page.slug,
                    ref: page.ref,
                    containers: page.containers.map(({ host, name, domId }) => ({
                      host,
                      name,
                      domId,
                    })),
                  },
                ]
              : [];
          });
          return {
            id: g.id,
            slug: cveSlug(g.id),
            severity: g.severity,
            ...(g.title && { title: g.title }),
            ...(g.description && { description: g.description }),
            ...(g.cvss !== undefined && { cvss: g.cvss }),
            ...(g.cvssVersion && { cvssVersion: g.cvssVersion }),
            links: [...g.links],
            packages: [...g.packages.values()].sort((a, b) => a.pkg.localeCompare(b.pkg)),
            fixable: g.fixable,
            images: affected.sort((a, b) => a.ref.localeCompare(b.ref)),
            containers,
            hosts: [...new Set(affected.flatMap((i) => i.containers.map((c) => c.host)))].sort(),
            firstSeen: firstSeen.get(g.id) ?? null,
            ...(g.kev && { kev: g.kev }),
          };
        });
    },

    /** Every id found now, for first-seen lookups in the history. */
    ids(): Set<string> {
      return new Set(byId.keys());
    },

    /** The search index: image pages by CVE id and by package name. */
    index(images: ImagePage[], paged: Set<string>): SearchIndex {
      const at = new Map(images.map((image, i) => [image.key, i]));
      const positions = (keys: Iterable<string>) =>
        [...keys].flatMap((key) => (at.has(key) ? [at.get(key)!] : [])).sort((a, b) => a - b);
      return {
        images: images.map((i) => i.slug),
        cves: [...byId.values()].map((g) => ({
          id: g.id,
          ...(paged.has(g.id) && { slug: cveSlug(g.id) }),
          images: positions(g.images),
        })),
        packages: [...packages].map(([name, keys]) => [name, positions(keys)]),
      };
    },
  };
}
