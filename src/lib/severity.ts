// How pages show a severity: words, sort rank and badge class, all from the model's vocabulary,
// so no page or component writes a severity list, letter or rank of its own.
import type { Severity, SiteModel } from '../../pipeline/site/model/index.ts';

type Vocabulary = SiteModel['vocabulary'];

/** One severity as a page shows it. */
export type SeverityView = Vocabulary['severities'][number] & {
  /** sev-<key> for a badged severity, the neutral vuln-zero for unknown. */
  badgeClass: string;
};

/** Every severity's view by key; sort by `rank` ascending to put the most severe first. */
export function severityViews(vocabulary: Vocabulary): Record<Severity, SeverityView> {
  const views = vocabulary.severities.map((s) => [
    s.key,
    { ...s, badgeClass: s.badged ? `sev-${s.key}` : 'vuln-zero' },
  ]);
  return Object.fromEntries(views) as Record<Severity, SeverityView>;
}
