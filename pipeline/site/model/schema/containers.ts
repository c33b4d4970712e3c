import { z } from 'zod';
import { ANCHOR_TYPES, ROLES, SEVERITIES } from '../../../vocabulary.ts';
import { SecuritySchema, UpdateSchema } from './security.ts';

/** One container: one row of the table, one card on a phone. */
export const ContainerRowSchema = z.object({
  /** Unique DOM id (c-<host>-<name>, escaped). */
  domId: z.string().regex(/^c-[A-Za-z0-9_-]+$/),
  host: z.string(),
  name: z.string(),
  image: z.string(),
  /** File name of the image's page (images/<slug>.html), when it has one. */
  imageSlug: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .nullable(),
  state: z.string(),
  health: z.string().optional(),
  exitCode: z.number().int().optional(),
  /** The effective stack, or null when none. */
  stack: z.string().nullable(),
  role: z.enum(ROLES),
  /** The container this one depends on (same host). */
  anchor: z
    .object({
      name: z.string(),
      type: z.enum(ANCHOR_TYPES).nullable(),
      /** From network_mode or depends_on, not from labels. */
      inferred: z.boolean(),
    })
    .nullable(),
  /** Containers depending on this one, by name. */
  dependents: z.array(z.string()),
  /** Label and link problems, in words. */
  warnings: z.array(z.string()),
  security: SecuritySchema,
  update: UpdateSchema,
  /** Severities with at least one finding, for the severity filter. */
  severities: z.array(z.enum(SEVERITIES)),
  /** Worst-first sort weight: critical outranks any number of highs; unknown states sort apart. */
  weight: z.number(),
  /** "Needs attention" tier, 1 to 5 (attention.ts ATTENTION_TIERS): rows sort by it first. */
  attention: z.number().int().min(1).max(5),
  /** Its image has a finding in the KEV catalogue. */
  kev: z.boolean(),
  /** The highest EPSS score of its image's findings; null when none is scored. */
  epss: z.number().min(0).max(1).nullable(),
  /** Lower-case text the search box matches. */
  search: z.string(),
});
export type ContainerRow = z.infer<typeof ContainerRowSchema>;

/**
 * Rows of one host: one stack with two or more containers, or (`rest`) the containers of that host
 * whose stack has only them (their stack is shown on the row). Anchors are followed by their
 * dependents, which join their anchor's group whatever their own stack.
 */
export const RowGroupSchema = z.object({
  host: z.string(),
  kind: z.enum(['stack', 'rest']),
  /** The stack of a `stack` group; null for `rest`. */
  stack: z.string().nullable(),
  rows: z.array(ContainerRowSchema),
});
export type RowGroup = z.infer<typeof RowGroupSchema>;

/** A read-only plan for updating an anchor without breaking its dependents. Shown, never run. */
export const UpdatePlanSchema = z.object({
  anchor: z.string(),
  host: z.string(),
  steps: z.array(z.string()),
});
export type UpdatePlan = z.infer<typeof UpdatePlanSchema>;

/** The containers table: groups plus what the filter form offers. */
export const TableSchema = z.object({
  groups: z.array(RowGroupSchema),
  hosts: z.array(z.string()),
  /** Stacks in display order; null is "no stack". */
  stacks: z.array(z.string().nullable()),
  total: z.number().int().nonnegative(),
  /** Rows on a page of the home page's table (its first page on the home page, then containers-N). */
  pageSize: z.number().int().positive(),
  /** Pages of the home page's table: at least one. */
  pages: z.number().int().positive(),
});
export type Table = z.infer<typeof TableSchema>;
