import { z } from 'zod';
import { plainBlock, plainText } from '../safe-text.ts';
import { CveIdSchema } from './epss-schema.ts';

// CISA's catalogue (https://www.cisa.gov/known-exploited-vulnerabilities-catalog), after its JSON
// schema (test/fixtures/feeds/known_exploited_vulnerabilities_schema.json). Text fields are
// bounded at ten times or more the longest seen in 2025, so a hostile feed cannot smuggle
// megabytes into every page that shows an entry.

const Day = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'not a date (YYYY-MM-DD)');
// A name on one line, or free text with its lines: either way cleaned as it is read (safe-text.ts).
const line = (max: number) => z.string().max(max).transform(plainText);
const text = (max: number) => z.string().max(max).transform(plainBlock);

/** One known exploited vulnerability. */
export const KevEntrySchema = z.object({
  /** CVE-YYYY-NNNN. */
  cveID: CveIdSchema,
  vendorProject: line(1000),
  product: line(1000),
  /** A short name, e.g. "Git Link Following Vulnerability". */
  vulnerabilityName: line(1000),
  /** The day CISA added it to the catalogue. */
  dateAdded: Day,
  shortDescription: text(10_000),
  /** What US federal agencies must do, e.g. apply the vendor's update. */
  requiredAction: text(10_000),
  /** The day agencies must have done it. */
  dueDate: Day,
  /** "Known" when used in ransomware campaigns, else "Unknown". */
  knownRansomwareCampaignUse: line(50).default('Unknown'),
  /** Free text; may hold URLs (only http(s) ones ever become links: kevLinks). */
  notes: text(10_000).default(''),
  /** CWE-NNN ids. */
  cwes: z
    .array(z.string().regex(/^CWE-\d+$/, 'not a CWE id'))
    .max(100)
    .default([]),
});
export type KevEntry = z.infer<typeof KevEntrySchema>;

/** The whole catalogue; `title` and unknown fields are dropped. */
export const KevCatalogSchema = z.object({
  /** CISA's version of the catalogue, e.g. 2025.08.25. */
  catalogVersion: z.string().min(1).max(100).transform(plainText),
  /** When this version was released (ISO 8601). */
  dateReleased: line(100).refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time'),
  /** The number of entries CISA declares (checked against the list by readKevFile). */
  count: z.number().int().min(0),
  vulnerabilities: z.array(KevEntrySchema).min(1, 'empty'),
});
export type KevCatalog = z.infer<typeof KevCatalogSchema>;
