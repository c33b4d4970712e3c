import path from 'node:path';
import { imageMatches, type VexImage } from './match-image.ts';
import { parsePurl, purlMatches, type Purl } from './purl.ts';
import type { VexRule } from './rule.ts';

/** The parts of a finding rules look at (Finding from pipeline/scan fits). */
export interface VexFinding {
  /** CVE / GHSA id. */
  id: string;
  pkg?: string;
  installed?: string;
  /** The package's purl (Trivy's PkgIdentifier.PURL). */
  purl?: string;
  /** Where the package is in the image (Trivy's PkgPath), for `paths`. */
  pkgPath?: string;
  /** Trivy's Result Target, also matched by `paths`, as Trivy does. */
  target?: string;
}

/** Accepted (with the rule and its expiry), acceptance expired (the finding is back), or nothing. */
export type VexVerdict =
  | { state: 'accepted'; rule: VexRule; expiresAt?: string }
  | { state: 'expired'; rule: VexRule; expiredAt: string }
  | null;

/** Judges findings against a set of rules; build it once per run. */
export interface VexJudge {
  /** The verdict on one finding of one image at `now`. Pure: same input, same answer. */
  evaluate(image: VexImage, finding: VexFinding, now: Date): VexVerdict;
  /** Every rule that names this finding in this image, whatever its status or expiry. */
  matching(image: VexImage, finding: VexFinding): VexRule[];
}

/**
 * A judge over `rules`. Acceptance: any matching trivyignore entry not past its expired_at, or the
 * newest matching OpenVEX statement when it says not_affected or fixed (a newer affected or
 * under_investigation statement takes an older acceptance back). Only expired entries: expired.
 */
export function createVexJudge(rules: readonly VexRule[]): VexJudge {
  const byId = new Map<string, VexRule[]>();
  const purls = new Map<string, Purl | null>();
  for (const rule of rules)
    for (const id of new Set([rule.vulnerability, ...rule.aliases].map((i) => i.toUpperCase()))) {
      if (!byId.has(id)) byId.set(id, []);
      byId.get(id)!.push(rule);
    }
  const parse = (text: string) => {
    if (!purls.has(text)) purls.set(text, parsePurl(text));
    return purls.get(text)!;
  };
  const matching = (image: VexImage, finding: VexFinding) => {
    const target = finding.purl ? parse(finding.purl) : null;
    return (byId.get(finding.id.toUpperCase()) ?? []).filter((rule) => {
      if (rule.paths.length && !rule.paths.some((glob) => pathMatches(glob, finding))) return false;
      return rule.targets.some(
        (t) =>
          (!t.image || imageMatches(t.image, image)) &&
          // A rule narrowed to packages needs the finding's purl (reports before purls match none).
          (t.purls.length === 0 ||
            (target !== null && t.purls.some((p) => matchPurl(parse(p), target)))),
      );
    });
  };
  return {
    matching,
    evaluate(image, finding, now) {
      const found = matching(image, finding);
      const active = found.find(
        (r) =>
          r.format === 'trivyignore' && (!r.expiresAt || Date.parse(r.expiresAt) >= now.getTime()),
      );
      if (active)
        return {
          state: 'accepted',
          rule: active,
          ...(active.expiresAt && { expiresAt: active.expiresAt }),
        };
      const newest = found
        .filter((r) => r.format === 'openvex')
        .reduce<VexRule | undefined>(
          (a, b) => (!a || Date.parse(b.timestamp!) >= Date.parse(a.timestamp!) ? b : a),
          undefined,
        );
      if (newest?.accepts) return { state: 'accepted', rule: newest };
      const expired = found
        .filter((r) => r.format === 'trivyignore' && r.expiresAt)
        .sort((a, b) => Date.parse(b.expiresAt!) - Date.parse(a.expiresAt!))[0];
      return expired ? { state: 'expired', rule: expired, expiredAt: expired.expiresAt! } : null;
    },
  };
}

function matchPurl(pattern: Purl | null, target: Purl): boolean {
  return pattern !== null && purlMatches(pattern, target);
}

// Trivy matches `paths` against both the package path and the result target.
function pathMatches(glob: string, finding: VexFinding): boolean {
  return [finding.pkgPath, finding.target].some(
    (p) => p !== undefined && p !== '' && path.matchesGlob(p, glob),
  );
}
