import { z } from 'zod';

// Schemas for the Docker Engine API responses the snapshot reads. Zod drops every key not named
// here, so Env, Cmd, Mounts and the rest never get past this boundary.

/** A full or short container id: lowercase hex. It becomes part of a request path. */
export const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

// The only labels the snapshot reads; the others (traefik rules, secrets in labels) are dropped
// here, so a host's foreign labels cost no memory and can reach nothing.
const READ_LABELS = new Set([
  'com.docker.compose.project',
  'com.docker.compose.service',
  'com.docker.compose.depends_on',
  'com.docker.stack.namespace',
  'org.opencontainers.image.source',
]);

/** Keep dockpeek.* and the labels above. */
function keepReadLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(([key]) => key.startsWith('dockpeek.') || READ_LABELS.has(key)),
  );
}

/** One entry of GET /containers/json?all=1. */
export const ApiContainerSchema = z.object({
  Id: z.string().regex(CONTAINER_ID, 'not a container id (12–64 lowercase hex digits)'),
  /** Names with a leading "/"; legacy links add "/other/alias" entries. */
  Names: z.array(z.string()).default([]),
  Image: z.string().default(''),
  ImageID: z.string().default(''),
  /** Unix seconds. */
  Created: z.number().optional(),
  State: z.string().default('unknown'),
  /** Human status: "Up 2 hours (healthy)", "Exited (137) 3 minutes ago". */
  Status: z.string().default(''),
  /** API 1.52+ carries health here; older daemons only in Status. */
  Health: z.object({ Status: z.string() }).partial().nullish(),
  Ports: z
    .array(
      z.object({
        IP: z.string().optional(),
        PrivatePort: z.number(),
        PublicPort: z.number().optional(),
        Type: z.string(),
      }),
    )
    .nullish(),
  Labels: z.record(z.string(), z.string()).transform(keepReadLabels).nullish(),
  HostConfig: z.object({ NetworkMode: z.string().optional() }).partial().nullish(),
  NetworkSettings: z
    .object({ Networks: z.record(z.string(), z.unknown()).nullish() })
    .partial()
    .nullish(),
});
export type ApiContainer = z.infer<typeof ApiContainerSchema>;

/** One entry of GET /images/json: only what ties an image id to its registry digests. */
export const ApiImageSchema = z.object({
  Id: z.string(),
  RepoDigests: z.array(z.string()).nullish(),
});
export type ApiImage = z.infer<typeof ApiImageSchema>;

/** The parts of GET /containers/{id}/json that the list call lacks. */
export const ApiInspectSchema = z.object({
  RestartCount: z.number().optional(),
  State: z
    .object({ StartedAt: z.string().optional(), ExitCode: z.number().optional() })
    .partial()
    .optional(),
});
export type ApiInspect = z.infer<typeof ApiInspectSchema>;
