import path from 'node:path';
import { loadKevIndex, readFeedInfo, type FeedInfo } from '../feeds/read-feeds.ts';
import type { Finding } from '../scan/trivy-report.ts';
import { createVexJudge } from '../vex/evaluate.ts';
import { loadVexRules } from '../vex/load-rules.ts';
import type { VexImage } from '../vex/match-image.ts';
import type { VexRule } from '../vex/rule.ts';
import type { FeedName } from '../vocabulary.ts';
import type { FeedAge, KevMark, RiskRule } from './marks.ts';

/** Where accepted-risk rules come from (DOCKPEEK_VEX), and the cap of one file. */
export interface VexSource {
  paths: string[];
  maxBytes: number;
}

/** What a build knows of one finding's risk: in KEV, and accepted or no longer accepted. */
export interface FindingRisk {
  kev?: KevMark;
  /** Accepted by a rule now: the finding leaves the totals and badges. */
  accepted?: RiskRule & { expiresAt?: string };
  /** A rule accepted it until `expiredAt`: the finding is back, marked. */
  expired?: RiskRule & { expiredAt: string };
}

/**
 * The feeds and the accepted-risk rules of one build, judged at the build's clock. Rules are
 * applied here, at build time, so editing one needs no rescan. Never throws: a missing feed is
 * "unknown", a bad rules document is an error entry and its rules do not apply.
 */
export async function loadRisk(dataDir: string, vex: VexSource | undefined, now: Date) {
  const [kev, feeds, rules] = await Promise.all([
    loadKevIndex(dataDir),
    readFeedInfo(dataDir, now),
    vex && vex.paths.length ? loadVexRules(vex.paths, vex.maxBytes) : null,
  ]);
  const judge = rules?.rules.length ? createVexJudge(rules.rules) : null;
  const used = new Set<string>();
  return {
    /** Whether a KEV catalogue is stored (else KEV markers are unknown, not "none"). */
    hasKev: kev !== null,
    /** Whether any accepted-risk rule applies (else judged counts are the scanner's counts). */
    hasRules: judge !== null,
    /** The risk of one finding of `image`. */
    judge(image: VexImage, f: Finding): FindingRisk {
      const entry = kev?.entries.get(f.id);
      const risk: FindingRisk = entry
        ? {
            kev: {
              dateAdded: entry.dateAdded,
              dueDate: entry.dueDate,
              ransomware: entry.knownRansomwareCampaignUse === 'Known',
              name: entry.vulnerabilityName.slice(0, 200),
            },
          }
        : {};
      if (!judge) return risk;
      for (const rule of judge.matching(image, f)) used.add(rule.id);
      const verdict = judge.evaluate(image, f, now);
      if (verdict?.state === 'accepted')
        risk.accepted = {
          ...describeRule(verdict.rule),
          ...(verdict.expiresAt && { expiresAt: verdict.expiresAt }),
        };
      if (verdict?.state === 'expired')
        risk.expired = { ...describeRule(verdict.rule), expiredAt: verdict.expiredAt };
      return risk;
    },
    /** The stored feeds' ages, for the dashboard. */
    feeds: { kev: toFeedAge(feeds.kev), epss: toFeedAge(feeds.epss) } as Record<FeedName, FeedAge>,
    /** Rules read, documents rejected and, once every finding was judged, stale rules. */
    rules(): {
      total: number;
      files: number;
      rejected: Array<{ file: string; code: string; message: string; line?: number }>;
      stale: RiskRule[];
    } {
      return {
        total: rules?.rules.length ?? 0,
        files: rules?.files.length ?? 0,
        rejected: (rules?.errors ?? []).map((e) => ({
          file: path.basename(e.file),
          code: e.code,
          message: e.message.slice(0, 500),
          ...(e.line !== undefined && { line: e.line }),
        })),
        stale: (rules?.rules ?? []).filter((r) => !used.has(r.id)).map(describeRule),
      };
    },
  };
}
export type Risk = Awaited<ReturnType<typeof loadRisk>>;

/** A rule as pages show it: where it is, what it says, never more than a line of its text. */
function describeRule(rule: VexRule): RiskRule {
  const reason = rule.statement ?? rule.justification ?? rule.status;
  return {
    // `where` already names the line: "vulnerabilities[0] (line 2)".
    source: `${path.basename(rule.file)} ${rule.where}`,
    vulnerability: rule.vulnerability.slice(0, 100),
    status: rule.status,
    reason: reason.slice(0, 300),
  };
}

function toFeedAge(info: FeedInfo): FeedAge {
  const failed = info.lastAttempt && !info.lastAttempt.ok ? info.lastAttempt : null;
  const stored = info.stored;
  return {
    fetchedAt: stored?.fetchedAt ?? null,
    version: stored
      ? stored.feed === 'kev'
        ? `catalogue ${stored.catalogVersion}`
        : `scores of ${stored.scoreDate.slice(0, 10)}`
      : null,
    entries: stored?.entries ?? null,
    ...(failed?.error && {
      lastFailure: {
        at: failed.at,
        code: failed.error.code,
        message: failed.error.message.slice(0, 300),
      },
    }),
  };
}
