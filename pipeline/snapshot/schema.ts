import { z } from 'zod';
import { ANCHOR_TYPES, HOST_ERROR_CODES, ROLES } from '../vocabulary.ts';

/** How a container relates to the others (docs/labels.md). */
export const OrchestrationSchema = z.object({
  /** anchor | dependent | standalone; from dockpeek.role, else inferred. */
  role: z.enum(ROLES),
  /** Name of the container this one depends on. */
  anchor: z.string().nullable(),
  /** What the dependency is: network namespace, database or service. */
  anchorType: z.enum(ANCHOR_TYPES).nullable(),
  /** Containers (same host) whose anchor is this one, sorted by name. */
  dependents: z.array(z.string()),
  /** The dockpeek.stack label, when set. */
  stackOverride: z.string().nullable(),
  /** Always false in a snapshot: hidden containers are left out entirely. */
  hidden: z.boolean(),
  /** True when the anchor link came from network_mode or depends_on, not from labels. */
  inferred: z.boolean(),
  /** Problems with this container's labels or links, in words. */
  warnings: z.array(z.string()),
});
export type Orchestration = z.infer<typeof OrchestrationSchema>;

/** A published port. */
export const PortSchema = z.object({
  ip: z.string().optional(),
  privatePort: z.number(),
  publicPort: z.number().optional(),
  type: z.string(),
});

/** One container as stored: an allow-list of fields, never env, command or foreign labels. */
export const ContainerSchema = z.object({
  /** Name of the host it runs on. */
  host: z.string(),
  id: z.string(),
  /** Name without the leading "/". */
  name: z.string(),
  /** Image reference as the container was created with. */
  image: z.string(),
  imageId: z.string(),
  repoDigests: z.array(z.string()),
  /** created | running | paused | restarting | removing | exited | dead */
  state: z.string(),
  health: z.string().optional(),
  exitCode: z.number().optional(),
  createdAt: z.string().optional(),
  /** Only with --inspect: the list call does not carry it. */
  startedAt: z.string().optional(),
  /** Only with --inspect. */
  restartCount: z.number().optional(),
  ports: z.array(PortSchema),
  networkMode: z.string(),
  networks: z.array(z.string()),
  compose: z.object({
    project: z.string().optional(),
    service: z.string().optional(),
    dependsOn: z.array(z.string()),
  }),
  /** org.opencontainers.image.source, when the image declares it. */
  ociSource: z.string().optional(),
  /** Every dockpeek.* label (sanitised), and no other label. */
  labels: z.record(z.string(), z.string()),
  /** Effective stack: dockpeek.stack, else compose project, else swarm namespace. */
  stack: z.string().nullable(),
  /** dockpeek.security.skip=true: the image is not scanned. */
  scanSkip: z.boolean(),
  orchestration: OrchestrationSchema,
});
export type Container = z.infer<typeof ContainerSchema>;

/** One host's outcome in a snapshot. */
export const HostStatusSchema = z.object({
  name: z.string(),
  /** URL without any password. */
  url: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  /** Why the host could not be read, as a stable code (absent in older stores). */
  errorCode: z.enum(HOST_ERROR_CODES).optional(),
  /** Containers read (before hiding) and hidden. */
  containerCount: z.number(),
  hiddenCount: z.number(),
  /** Malformed API entries that were skipped. */
  warnings: z.array(z.string()),
  durationMs: z.number(),
});
export type HostStatus = z.infer<typeof HostStatusSchema>;

/** Everything one snapshot run saw. */
export const SnapshotSchema = z.object({
  takenAt: z.string(),
  hosts: z.array(HostStatusSchema),
  containers: z.array(ContainerSchema),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
