import { z } from 'zod';

// .trivyignore.yaml as Trivy reads it (pkg/result/ignore.go), plus one DockPeek key: `images`.
// Unknown keys are refused, not ignored: a misspelt `expired_at` would accept a risk forever.

const Strings = z.array(z.string().min(1));
// Any section Trivy reads but DockPeek does not use: accepted as long as it is YAML.
const Ignored = z.unknown().optional();

/** One entry of `vulnerabilities:`. */
export const TrivyIgnoreEntrySchema = z.strictObject({
  /** The vulnerability id: CVE-…, GHSA-…, DLA-…. */
  id: z.string().min(1),
  /** Globs on the finding's package path or target (doublestar, like Trivy). */
  paths: Strings.optional(),
  /** Package URLs the entry is limited to. */
  purls: Strings.optional(),
  /** Why the risk is accepted; shown beside the finding. */
  statement: z.string().optional(),
  /** A date (2026-05-31, meaning 00:00 UTC) or RFC 3339 time after which the entry no longer applies. */
  expired_at: z.union([z.string(), z.date()]).optional(),
  /** DockPeek: images this entry is limited to (references or digests); overrides the file's `images`. */
  images: Strings.optional(),
});

/** The whole file. */
export const TrivyIgnoreSchema = z
  .strictObject({
    /** DockPeek: images every entry of the file is limited to, unless the entry has its own. */
    images: Strings.optional(),
    vulnerabilities: z.array(TrivyIgnoreEntrySchema).nullish(),
    misconfigurations: Ignored,
    secrets: Ignored,
    licenses: Ignored,
  })
  .nullable();
export type TrivyIgnore = z.infer<typeof TrivyIgnoreSchema>;
