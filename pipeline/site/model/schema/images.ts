import { z } from 'zod';
import { SEVERITIES } from '../../../vocabulary.ts';
import { EpssMarkSchema, KevMarkSchema, RiskRuleSchema } from './risk.ts';
import { SecuritySchema } from './security.ts';

/** One finding as a page shows it: bounded text, and a link only when it is http(s). */
export const FindingRowSchema = z.object({
  id: z.string(),
  severity: z.enum(SEVERITIES),
  pkg: z.string(),
  /** Its source package (openssl for libssl1.1), when the report named another. */
  srcName: z.string().optional(),
  /** Its package URL without qualifiers (pkg:deb/debian/libssl1.1@1.1.1d-0+deb10u3). */
  purl: z.string().optional(),
  /** Other ids of the vulnerability (VendorIDs). */
  aliases: z.array(z.string()).optional(),
  installed: z.string(),
  fixed: z.string().optional(),
  status: z.string().optional(),
  /** Shortened for the page; the findings file keeps the full text. */
  title: z.string().optional(),
  cvss: z.number().optional(),
  /** 2 or 4 when the score is not CVSS v3 (no source had a v3 score). */
  cvssVersion: z.union([z.literal(2), z.literal(4)]).optional(),
  /** The file name of the CVE's page (cves/<slug>.html), when it has one. */
  cveSlug: z.string().optional(),
  /** The advisory link: an http: or https: URL, never anything else. */
  link: z.url({ protocol: /^https?$/ }).optional(),
  /** YYYY-MM-DD. */
  published: z.string().optional(),
  target: z.string(),
  /** In CISA's Known Exploited Vulnerabilities catalogue. */
  kev: KevMarkSchema.optional(),
  epss: EpssMarkSchema.optional(),
  /** Its vulnerability is on the Fix-first list. */
  fixFirst: z.literal(true).optional(),
  /** A rule accepted it until this time: it counts again, marked "acceptance expired". */
  expired: RiskRuleSchema.extend({ expiredAt: z.string() }).optional(),
});
export type FindingRow = z.infer<typeof FindingRowSchema>;

/** What an image page can say about findings. */
export const FindingsListSchema = z.discriminatedUnion('state', [
  /** Scanned with findings: the most important first, at most a page's worth. */
  z.object({
    state: z.literal('listed'),
    rows: z.array(FindingRowSchema),
    total: z.number().int().positive(),
    /** Rows left out to keep the page small; the findings file and the export have them all. */
    omitted: z.number().int().nonnegative(),
  }),
  /** Scanned and nothing found. */
  z.object({ state: z.literal('none') }),
  /** Scanned with findings, but the findings file is gone (the next scan recreates it). */
  z.object({ state: z.literal('missing'), total: z.number().int().positive() }),
  /** Not known: the scan failed, is pending, was skipped or never ran. */
  z.object({ state: z.literal('unknown'), reason: z.string() }),
]);
export type FindingsList = z.infer<typeof FindingsListSchema>;

/** One page per distinct image of the current snapshot. */
export const ImagePageSchema = z.object({
  /** The image id (sha256:…) or ref:<reference> when the host gave no valid id. */
  key: z.string(),
  slug: z.string().regex(/^[0-9a-f]{16}$/),
  ref: z.string(),
  imageId: z.string(),
  repoDigests: z.array(z.string()),
  security: SecuritySchema,
  containers: z.array(
    z.object({ host: z.string(), name: z.string(), state: z.string(), domId: z.string() }),
  ),
  findings: FindingsListSchema,
  /** Whether a KEV catalogue and EPSS scores are stored: without them those filters are unknown. */
  feeds: z.object({ kev: z.boolean(), epss: z.boolean() }).optional(),
  /** Findings accepted by a rule (left out of every total), the first of them. */
  accepted: z.array(
    FindingRowSchema.extend({
      rule: RiskRuleSchema,
      expiresAt: z.string().optional(),
    }),
  ),
});
export type ImagePage = z.infer<typeof ImagePageSchema>;
