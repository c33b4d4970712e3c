import { describe, expect, it } from 'vitest';
import { boundFixedVersions, FixedVersionSchema } from '../../pipeline/scan/finding.ts';

describe("Trivy's FixedVersion, bounded", () => {
  it('keeps a list within the cap as it is', () => {
    expect(boundFixedVersions('1.3.12, 1.4.12, 1.2.13')).toBe('1.3.12, 1.4.12, 1.2.13');
  });

  it('cuts a longer list between versions and says how many more there are', () => {
    const versions = Array.from({ length: 90 }, (_, i) => `${i + 2}.0.1`);
    const cut = boundFixedVersions(versions.join(', '));
    expect(cut.length).toBeLessThanOrEqual(512);
    const [, list, more] = /^(.*), … \(\+(\d+) more\)$/.exec(cut)!;
    const kept = list!.split(', ');
    expect(kept).toEqual(versions.slice(0, kept.length));
    expect(kept.length + Number(more)).toBe(90);
    // As many as fit: one more would not.
    const oneMore = `${versions.slice(0, kept.length + 1).join(', ')}, … (+${90 - kept.length - 1} more)`;
    expect(oneMore.length).toBeGreaterThan(512);
  });

  it('refuses one version longer than the cap: cut, it would name another version', () => {
    expect(FixedVersionSchema.safeParse(`1.0, ${'9'.repeat(513)}`).success).toBe(false);
    expect(FixedVersionSchema.parse('1.0')).toBe('1.0');
  });
});
