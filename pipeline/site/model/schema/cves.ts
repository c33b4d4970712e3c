import { z } from 'zod';
import { SEVERITIES } from '../../../vocabulary.ts';
import { EpssMarkSchema, KevMarkSchema } from './risk.ts';

const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);

/** One CVE (or GHSA, …) of the current snapshot: where it is, how bad, what fixes it. */
export const CvePageSchema = z.object({
  id: z.string(),
  /** File name of its page (cves/<slug>.html): the id itself when it is a safe file name. */
  slug,
  /** The highest severity any finding of it has. */
  severity: z.enum(SEVERITIES),
  title: z.string().optional(),
  /** Shortened for the page; the findings files keep the full text. */
  description: z.string().optional(),
  cvss: z.number().optional(),
  /** 2 or 4 when the score is not CVSS v3. */
  cvssVersion: z.union([z.literal(2), z.literal(4)]).optional(),
  /** Advisory links, http(s) only. */
  links: z.array(z.url({ protocol: /^https?$/ })),
  /** Each affected package once: installed version and the fix, if any. */
  packages: z.array(
    z.object({
      pkg: z.string(),
      /** Its source package (openssl for libssl1.1), when the report named another. */
      srcName: z.string().optional(),
      installed: z.string(),
      fixed: z.string().optional(),
    }),
  ),
  /** Other ids of it (DSA-…, RHSA-…, GHSA-…), from the reports' VendorIDs. */
  aliases: z.array(z.string()).optional(),
  /** Findings of it that an accepted-risk rule sets apart (in any image); they count nowhere. */
  accepted: z.number().int().positive().optional(),
  /** Some finding of it was accepted by a rule that has expired: it counts again. */
  expired: z.literal(true).optional(),
  fixable: z.boolean(),
  images: z.array(
    z.object({
      slug: z.string(),
      ref: z.string(),
      containers: z.array(z.object({ host: z.string(), name: z.string(), domId: z.string() })),
    }),
  ),
  containers: z.number().int().nonnegative(),
  hosts: z.array(z.string()),
  /** When an archived snapshot first had it; null when no archive shows it. */
  firstSeen: z.iso.datetime({ offset: true }).nullable(),
  kev: KevMarkSchema.optional(),
  epss: EpssMarkSchema.optional(),
  /** On the Fix-first list. */
  fixFirst: z.literal(true).optional(),
});
export type CvePage = z.infer<typeof CvePageSchema>;

/**
 * What the search box looks up, loaded on the first keystroke: image pages by the CVE ids and the
 * package names their findings carry (numbers index `images`). Lists, not objects keyed by id or
 * name: ids and names come from image authors, and as keys "__proto__" would replace an object's
 * prototype and "constructor" would be found on every object (the client builds Maps from them).
 */
export const SearchIndexSchema = z.object({
  images: z.array(z.string()),
  /** Each CVE id once: the id as written, its page's slug, and the images carrying it. */
  cves: z.array(
    z.object({
      id: z.string(),
      /** Its page; absent when the fleet has more CVEs than pages are made for. */
      slug: slug.optional(),
      /** Other ids the search finds it by (VendorIDs). */
      aliases: z.array(z.string()).optional(),
      images: z.array(z.number().int().nonnegative()),
    }),
  ),
  /**
   * Each lower-case package name once, with the images carrying a vulnerable version of it, and
   * (when known) its source package names and package URLs, space-separated, which a query also
   * matches.
   */
  packages: z.array(
    z.union([
      z.tuple([z.string(), z.array(z.number().int().nonnegative())]),
      z.tuple([z.string(), z.array(z.number().int().nonnegative()), z.string()]),
    ]),
  ),
});
export type SearchIndex = z.infer<typeof SearchIndexSchema>;
