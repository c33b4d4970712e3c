import { describe, expect, it } from 'vitest';
import { VOCABULARY } from '../../../pipeline/site/model/schema/site.ts';
import { SEVERITIES, severityRank } from '../../../pipeline/vocabulary.ts';
import { severityViews } from '../../../src/lib/severity.ts';

describe("the pages' severity views", () => {
  const views = severityViews(VOCABULARY);

  it.each(SEVERITIES.map((s) => [s]))('ranks %s as severityRank does', (severity) => {
    expect(views[severity].rank).toBe(severityRank(severity));
  });

  it('sorts most severe first when sorted by rank ascending, as the pages sort', () => {
    const sorted = [...SEVERITIES].reverse().sort((a, b) => views[a].rank - views[b].rank);
    expect(sorted).toEqual([...SEVERITIES]);
  });

  it.each([
    ['critical', 'sev-critical', 'C'],
    ['low', 'sev-low', 'L'],
    ['unknown', 'vuln-zero', 'U'],
  ] as const)('shows %s with the badge class %s and letter %s', (severity, badgeClass, letter) => {
    expect(views[severity]).toMatchObject({ badgeClass, letter });
  });

  it('gives the badge severities, most severe first, to the table columns', () => {
    expect(VOCABULARY.badgeSeverities.map((s) => s.key)).toEqual(
      VOCABULARY.severities.filter((s) => s.badged).map((s) => s.key),
    );
  });
});
