import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../pipeline/config/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['150', 150_000],
    ['1.5', 1500],
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    [' 2S ', 2000],
  ])('%s → %d ms', (input, ms) => {
    expect(parseDuration(input, 'X')).toBe(ms);
  });

  it.each(['', 'soon', '1x', '-5s', '1h 30m', 's'])('rejects %j naming the source', (input) => {
    expect(() => parseDuration(input, 'TRIVY_FAILED_TTL')).toThrow(
      `TRIVY_FAILED_TTL=${JSON.stringify(input)} is not a duration`,
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ms'],
    [4200, '4.2 s'],
    [42_000, '42 s'],
    [180_000, '3 min'],
    [5_400_000, '1.5 h'],
  ])('%d', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
