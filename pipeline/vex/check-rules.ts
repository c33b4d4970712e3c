import { loadVexRules } from './load-rules.ts';
import type { VexError, VexRule } from './rule.ts';
import { createRuleUsage, type RuleUse } from './rule-usage.ts';
import { readStoreFleet } from './store-fleet.ts';
import type { VexConfig } from './vex-config.ts';

/** What `vex --check` reports. */
export interface VexCheck {
  at: string;
  files: Array<{ file: string; format: VexRule['format']; rules: number }>;
  errors: VexError[];
  /** The snapshot checked against, or null when the store has none (matches then unknown). */
  snapshot: { takenAt: string; images: number; scanned: number; findings: number } | null;
  uses: RuleUse[];
  /** Rules that match no finding of the snapshot (only when there is one). */
  stale: string[];
}

/** Load the rules and judge every finding of the store's current snapshot with them at `now`. */
export async function checkVexRules(
  config: VexConfig,
  dataDir: string,
  now: Date,
): Promise<VexCheck> {
  const loaded = await loadVexRules(config.paths, config.maxBytes);
  const usage = createRuleUsage(loaded.rules, now);
  const fleet = await readStoreFleet(dataDir);
  let scanned = 0;
  let findings = 0;
  for (const entry of fleet?.images ?? []) {
    const list = await entry.findings();
    if (!list) continue;
    scanned += 1;
    findings += list.length;
    usage.add(entry.image, list);
  }
  const report = usage.report();
  return {
    at: now.toISOString(),
    files: loaded.files,
    errors: loaded.errors,
    snapshot: fleet && { takenAt: fleet.takenAt, images: fleet.images.length, scanned, findings },
    uses: report.uses,
    stale: fleet ? report.stale.map((r) => r.id) : [],
  };
}
