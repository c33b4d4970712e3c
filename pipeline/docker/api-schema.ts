import { z } from 'zod';

// Schemas for the Docker Engine API responses the snapshot reads. Zod drops every key not named
// here, so Env, Cmd, Mounts and the rest never get past this boundary.

/** One entry of GET /containers/json?all=1. */
export const ApiContainerSchema = z.object({
  Id: z.string().min(12),
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
  Labels: z.record(z.string(), z.string()).nullish(),
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
