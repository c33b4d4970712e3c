import type { Reporter } from '../../reporter.ts';
import type { VexCheck } from '../../vex/check-rules.ts';
import type { RuleUse } from '../../vex/rule-usage.ts';

/** `vex --check` in words: documents, errors, each rule with what it matches, stale rules. */
export function printVexCheck(result: VexCheck, out: Reporter): void {
  const rules = result.uses.length;
  out.info(
    `vex: ${result.files.length} document(s), ${rules} rule(s), ${result.errors.length} rejected document(s); judged at ${result.at}`,
  );
  for (const error of result.errors) out.error(`vex: ${error.message} [${error.code}]`);
  const snap = result.snapshot;
  if (!snap) out.warn('vex: no snapshot in the store: which findings the rules match is unknown');
  else
    out.info(
      `vex: checked against the snapshot of ${snap.takenAt}: ${snap.images} image(s), ${snap.scanned} with findings, ${snap.findings} finding(s)`,
    );
  const stale = new Set(result.stale);
  for (const use of result.uses) {
    out.info(describeRule(use, stale.has(use.rule.id), Date.parse(result.at)));
    for (const e of use.examples)
      out.info(
        `    ${e.image}  ${e.id}  ${[e.pkg, e.installed].filter(Boolean).join(' ')}  ${e.effect}`,
      );
    if (use.matches > use.examples.length)
      out.info(out.dim(`    … and ${use.matches - use.examples.length} more`));
  }
  if (stale.size) out.warn(`vex: ${stale.size} stale rule(s) match no finding in the fleet`);
}

function describeRule(use: RuleUse, stale: boolean, at: number): string {
  const r = use.rule;
  const status = r.justification ? `${r.status} (${r.justification})` : r.status;
  const past = r.expiresAt !== undefined && Date.parse(r.expiresAt) < at;
  const expiry = r.expiresAt ? `, ${past ? 'EXPIRED since' : 'until'} ${r.expiresAt}` : '';
  const words = r.statement ? ` — ${JSON.stringify(r.statement)}` : '';
  const matches = stale
    ? 'STALE: matches no finding'
    : `${use.matches} finding(s), ${use.accepted} accepted`;
  return `rule ${r.file} ${r.where}: ${r.vulnerability} ${status}${expiry}${words}: ${matches}`;
}
