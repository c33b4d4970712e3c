import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BADGE_SEVERITIES,
  badgeZeroCounts,
  describeSeverities,
  SEVERITIES,
  severityCountsSchema,
  severityRank,
  severityRecord,
  toSeverity,
  zeroCounts,
} from '../pipeline/vocabulary.ts';

describe('the severity vocabulary', () => {
  it('ranks the most severe 0, in the order of SEVERITIES', () => {
    expect(SEVERITIES.map(severityRank)).toEqual([0, 1, 2, 3, 4]);
    expect(describeSeverities(SEVERITIES).map((s) => [s.key, s.rank, s.letter])).toEqual([
      ['critical', 0, 'C'],
      ['high', 1, 'H'],
      ['medium', 2, 'M'],
      ['low', 3, 'L'],
      ['unknown', 4, 'U'],
    ]);
  });

  it.each([
    ['CRITICAL', 'critical'],
    ['High', 'high'],
    ['negligible', 'unknown'],
    ['', 'unknown'],
    ['__proto__', 'unknown'],
  ])('reads a scanner severity %j as %j', (text, severity) => {
    expect(toSeverity(text)).toBe(severity);
  });

  it('makes a fresh zero tally each time, one key per severity', () => {
    const a = zeroCounts();
    a.critical += 1;
    expect(zeroCounts()).toEqual({ critical: 0, high: 0, medium: 0, low: 0, unknown: 0 });
    expect(Object.keys(badgeZeroCounts())).toEqual([...BADGE_SEVERITIES]);
    expect(severityRecord(SEVERITIES, null)).toEqual({
      critical: null,
      high: null,
      medium: null,
      low: null,
      unknown: null,
    });
  });

  it('checks counts with one key per severity, each with the count schema given', () => {
    const nullable = severityCountsSchema(z.number().int().nullable());
    expect(Object.keys(nullable.shape)).toEqual([...SEVERITIES]);
    expect(nullable.safeParse(severityRecord(SEVERITIES, null)).success).toBe(true);
    expect(nullable.safeParse({ ...zeroCounts(), unknown: undefined }).success).toBe(false);
    expect(severityCountsSchema(z.number().int()).safeParse(zeroCounts()).success).toBe(true);
    expect(
      severityCountsSchema(z.number().int()).safeParse({ ...zeroCounts(), low: 1.5 }).success,
    ).toBe(false);
  });
});
