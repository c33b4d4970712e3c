// Accepted risk: rules from .trivyignore.yaml and OpenVEX documents, judged per finding and
// image at a given time. Only re-exports.
export { readVexConfig } from './vex-config.ts';
export type { VexConfig } from './vex-config.ts';
export { loadVexRules } from './load-rules.ts';
export type { VexRules } from './load-rules.ts';
export { createVexJudge } from './evaluate.ts';
export type { VexFinding, VexJudge, VexVerdict } from './evaluate.ts';
export type { VexImage } from './match-image.ts';
export { createRuleUsage } from './rule-usage.ts';
export type { RuleEffect, RuleExample, RuleUse } from './rule-usage.ts';
export { VexRuleSchema, VexErrorSchema, VEX_STATUSES, VEX_JUSTIFICATIONS } from './rule.ts';
export type { VexRule, VexError } from './rule.ts';
