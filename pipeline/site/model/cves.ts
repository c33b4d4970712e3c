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
/** Source names and package URLs the search index keeps per package name. */
const MAX_ALSO = 24;
const MAX_ALIASES = 8;

/** A package URL without its qualifiers and subpath, decoded: what a user would type. */
export function shortPurl(purl: string | undefined): string | undefined {
  if (!purl) return undefined;
  const bare = purl.split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

interface Gathered {
  id: string;
  severity: Severity;
  title?: string;
  description?: string;
  cvss?: number;
  cvssVersion?: 2 | 4;
  links: Set<string>;
  packages: Map<string, { pkg: string; srcName?: string; installed: string; fixed?: string }>;
  aliases: Set<string>;
  fixable: boolean;
  images: Set<string>;
  kev?: MarkedFinding['kev'];
  expired: boolean;
}

/**
 * Gathers, while findings stream past, what the CVE pages and the search index need: one compact
 * record per vulnerability id, never the findings themselves.
 */
export function createCveCollector() {
  const byId = new Map<string, Gathered>();
  const packages = new Map<string, Set<string>>();
  // Per package name: its source names and package URLs, which the search matches too.
  const also = new Map<string, Set<string>>();
  // Findings a rule accepts, by id: they are on no page but the accepted ones (and counted here).
  const accepted = new Map<string, number>();
  return {
    /** A finding of `id` that a rule accepts. */
    accept(id: string): void {
      if (accepted.has(id) || accepted.size < MAX_INDEXED)
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
    },

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
          aliases: new Set(),
          fixable: false,
          images: new Set(),
          expired: false,
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
          ...(f.srcName && { srcName: f.srcName }),
          installed: f.installed,
          ...(f.fixed && { fixed: f.fixed }),
        });
      for (const alias of f.aliases ?? []) if (g.aliases.size < MAX_ALIASES) g.aliases.add(alias);
      g.fixable ||= Boolean(f.fixed);
      g.kev ??= f.kev;
      g.expired ||= Boolean(f.expired);
      g.images.add(key);
      if (f.pkg && packages.size < MAX_INDEXED) {
        const name = f.pkg.toLowerCase();
        if (!packages.has(name)) packages.set(name, new Set());
        packages.get(name)!.add(key);
        if (!also.has(name)) also.set(name, new Set());
        const terms = also.get(name)!;
        for (const term of [f.srcName, shortPurl(f.purl)])
          if (term && terms.size < MAX_ALSO) terms.add(term.toLowerCase());
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
            ...(g.aliases.size > 0 && { aliases: [...g.aliases] }),
            ...(accepted.has(g.id) && { accepted: accepted.get(g.id)! }),
            ...(g.expired && { expired: true }),
          };
        });
    },

    /** Every id found now, for first-seen lookups in the history. */
    ids(): Set<string> {
      return new Set(byId.keys());
    },

    /** Ids whose every finding a rule accepts: on the accepted-risk page, not on the CVE index. */
    acceptedOnly(): number {
      let n = 0;
      for (const id of accepted.keys()) if (!byId.has(id)) n += 1;
      return n;
    },

    /** The search index: image pages by CVE id (and its aliases) and by package name (and its source package and package URLs). */
    index(images: ImagePage[], paged: Set<string>): SearchIndex {
      const at = new Map(images.map((image, i) => [image.key, i]));
      const positions = (keys: Iterable<string>) =>
        [...keys].flatMap((key) => (at.has(key) ? [at.get(key)!] : [])).sort((a, b) => a - b);
      return {
        images: images.map((i) => i.slug),
        cves: [...byId.values()].map((g) => ({
          id: g.id,
          ...(paged.has(g.id) && { slug: cveSlug(g.id) }),
          ...(g.aliases.size > 0 && { aliases: [...g.aliases] }),
          images: positions(g.images),
        })),
        packages: [...packages].map(([name, keys]) => {
          const terms = [...(also.get(name) ?? [])].filter((t) => t !== name);
          return terms.length ? [name, positions(keys), terms.join(' ')] : [name, positions(keys)];
        }),
      };
    },
  };
}
