import { createVexJudge, type VexFinding } from './evaluate.ts';
import type { VexImage } from './match-image.ts';
import type { VexRule } from './rule.ts';

/** What a rule did to one finding it names. */
export type RuleEffect =
  /** This rule accepts it. */
  | 'accepted'
  /** This rule's expired_at has passed: the finding is back. */
  | 'expired'
  /** Named, but another rule decides (a newer OpenVEX statement, an earlier entry). */
  | 'overridden'
  /** Named by a statement that does not accept: affected, under_investigation. */
  | 'affected'
  | 'under_investigation';

/** One finding a rule names. */
export interface RuleExample {
  image: string;
  id: string;
  pkg?: string;
  installed?: string;
  effect: RuleEffect;
}

/** How much of the fleet one rule names; `matches` 0 means the rule is stale. */
export interface RuleUse {
  rule: VexRule;
  matches: number;
  accepted: number;
  /** The first findings it names (up to the collector's limit). */
  examples: RuleExample[];
}

/**
 * Counts, image by image, which findings each rule names and what it does to them, so a fleet of
 * any size is read one image at a time. Rules that name nothing are stale.
 */
export function createRuleUsage(rules: readonly VexRule[], now: Date, maxExamples = 20) {
  const judge = createVexJudge(rules);
  const uses = new Map(
    rules.map((rule) => [rule.id, { rule, matches: 0, accepted: 0, examples: [] } as RuleUse]),
  );
  return {
    /** Judge every finding of one image. */
    add(image: VexImage, findings: Iterable<VexFinding>): void {
      for (const finding of findings) {
        const verdict = judge.evaluate(image, finding, now);
        for (const rule of judge.matching(image, finding)) {
          const use = uses.get(rule.id)!;
          const effect: RuleEffect =
            verdict?.rule.id === rule.id
              ? verdict.state
              : rule.status === 'affected' || rule.status === 'under_investigation'
                ? rule.status
                : 'overridden';
          use.matches += 1;
          if (effect === 'accepted') use.accepted += 1;
          if (use.examples.length < maxExamples)
            use.examples.push({
              image: image.reference,
              id: finding.id,
              ...(finding.pkg && { pkg: finding.pkg }),
              ...(finding.installed && { installed: finding.installed }),
              effect,
            });
        }
      }
    },
    /** Every rule's use, in rule order, and the stale ones. */
    report(): { uses: RuleUse[]; stale: VexRule[] } {
      const all = [...uses.values()];
      return { uses: all, stale: all.filter((u) => u.matches === 0).map((u) => u.rule) };
    },
  };
}
