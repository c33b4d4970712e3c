import { z } from 'zod';
import { VEX_ERROR_CODES } from '../vocabulary.ts';

/** The OpenVEX statuses; only not_affected and fixed accept a finding. */
export const VEX_STATUSES = ['not_affected', 'fixed', 'affected', 'under_investigation'] as const;

/** OpenVEX justifications for not_affected. */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

/** Which images a target names; every field given must match (none given: any image). */
export const ImageSelectorSchema = z.object({
  /** Normalised repository (docker.io/library/nginx). */
  repository: z.string().optional(),
  /** Last path segment of the repository, when only a name is known (pkg:oci without repository_url). */
  name: z.string().optional(),
  tag: z.string().optional(),
  /** sha256:…: the image id or one of its repo digests. */
  digest: z.string().optional(),
  /** Leading hex digits of the image id (pkg:docker/…@dc437cc87d10). */
  idPrefix: z.string().optional(),
});
export type ImageSelector = z.infer<typeof ImageSelectorSchema>;

/** Where a rule applies: an image (or any), and packages in it (none: any package). */
export const RuleTargetSchema = z.object({
  image: ImageSelectorSchema.nullable(),
  /** Package URLs as written in the rule (parsed again when matching). */
  purls: z.array(z.string()),
});
export type RuleTarget = z.infer<typeof RuleTargetSchema>;

/** One accepted-risk rule: a .trivyignore.yaml entry or an OpenVEX statement. */
export const VexRuleSchema = z.object({
  /** Stable id: `<file>#<where>`. */
  id: z.string(),
  format: z.enum(['trivyignore', 'openvex']),
  /** Absolute path of the document. */
  file: z.string(),
  /** `vulnerabilities[2]` or `statements[0]`, with the line it starts on. */
  where: z.string(),
  line: z.number().optional(),
  /** The vulnerability id as written (CVE, GHSA, …), and OpenVEX aliases. */
  vulnerability: z.string(),
  aliases: z.array(z.string()),
  /** Any target matching is enough. */
  targets: z.array(RuleTargetSchema).min(1),
  /** trivyignore `paths`: globs on the finding's package path or target (none: any). */
  paths: z.array(z.string()),
  /** trivyignore entries are `accepted`; OpenVEX statements carry their status. */
  status: z.enum(['accepted', ...VEX_STATUSES]),
  /** Whether the status accepts the finding (accepted, not_affected, fixed). */
  accepts: z.boolean(),
  justification: z.enum(VEX_JUSTIFICATIONS).optional(),
  /** trivyignore `statement`, or OpenVEX impact_statement / status_notes / action_statement. */
  statement: z.string().optional(),
  /** trivyignore `expired_at` as ISO 8601: the rule stops applying after this instant. */
  expiresAt: z.string().optional(),
  /** OpenVEX: the statement's (or document's) timestamp; the newest statement wins. */
  timestamp: z.string().optional(),
});
export type VexRule = z.infer<typeof VexRuleSchema>;

/** A rejected document (none of its rules apply), naming the file and the line or field. */
export const VexErrorSchema = z.object({
  file: z.string(),
  code: z.enum(VEX_ERROR_CODES),
  message: z.string(),
  line: z.number().optional(),
  field: z.string().optional(),
});
export type VexError = z.infer<typeof VexErrorSchema>;

/** How a document was read: its rules, or why none of them apply. */
export type VexDocument =
  | { ok: true; file: string; format: VexRule['format']; rules: VexRule[] }
  | { ok: false; error: VexError };
