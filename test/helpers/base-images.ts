// The local base images the compose tests build on, and Docker Compose v5. Nothing can be pulled
// here, so `.ci/base-images.sh` makes them from Debian's packages and the npm registry, once per
// machine (cached in /var/cache/dockpeek-tools), and loads them into the daemon it is given in
// seconds after that. Compose is built from its Go module by `.ci/build-compose.sh`. In CI
// (CI=true) a missing part fails the tests that need it; elsewhere they may skip (see
// composeAvailable), and ensureBaseImages always fails loudly.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = path.join(ROOT, '.ci/base-images.sh');

/** Image references, each present in the daemon once ensureBaseImages resolves. */
export interface BaseImages {
  /** Minbase Debian trixie from debootstrap, `docker import`ed. */
  debian: string;
  /** Debian + Node 24.21.0 and npm, laid out like the official node:24 image. */
  node: string;
  /** Debian + Go 1.26, git, ca-certificates, laid out like the official golang:1.26 image. */
  golang: string;
  /** Debian's nginx, run like the official nginx image (port 80, conf.d, logs to stdout). */
  nginx: string;
  /** A tecnativa/docker-socket-proxy work-alike on Debian's haproxy (port 2375). */
  socketProxy: string;
}

/** What the Dockerfile's build arguments get, and what compose.yaml's services use in tests. */
export const BASE_IMAGES: BaseImages = {
  debian: 'dockpeek-base/debian:trixie',
  node: 'dockpeek-base/node:24',
  golang: 'dockpeek-base/golang:1.26',
  nginx: 'dockpeek-base/nginx:trixie',
  socketProxy: 'dockpeek-base/socket-proxy:trixie',
};

/** The version `.ci/build-compose.sh` builds, and the tests expect. */
export const COMPOSE_VERSION = '5.6.0';

/**
 * Make sure the five base images exist in the dockerd listening on `socketPath`: loaded from the
 * machine's cache (seconds), or built on the first run (minutes: debootstrap, apt, npm). Give the
 * calling hook a timeout of 20 minutes for that first run.
 */
export async function ensureBaseImages(socketPath: string): Promise<BaseImages> {
  try {
    const { stdout } = await run('bash', [SCRIPT], {
      env: { ...process.env, DOCKER_HOST: `unix://${socketPath}` },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30 * 60_000,
    });
    const refs = stdout.trim().split('\n');
    for (const ref of Object.values(BASE_IMAGES))
      if (!refs.includes(ref)) throw new Error(`${SCRIPT} did not report ${ref}`);
    return { ...BASE_IMAGES };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `the local base images could not be made (bash .ci/base-images.sh): ${(error as Error).message}\n${stderr.slice(-4000)}`,
    );
  }
}

/** Where the docker CLI looks for plugins, in its order; DOCKPEEK_COMPOSE overrides them all. */
function composeCandidates(env: NodeJS.ProcessEnv): string[] {
  if (env.DOCKPEEK_COMPOSE) return [env.DOCKPEEK_COMPOSE];
  const dirs = [
    path.join(env.DOCKER_CONFIG ?? path.join(homedir(), '.docker'), 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
  return dirs.map((dir) => path.join(dir, 'docker-compose'));
}

/** The compose binary, or why it cannot be used. */
export function findCompose(env = process.env): { binary: string } | { missing: string } {
  const candidates = composeCandidates(env);
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      accessSync(file, constants.X_OK);
    } catch {
      return { missing: `${file} is not executable` };
    }
    // Never run a binary another user could have replaced.
    if (statSync(file).mode & 0o022) return { missing: `${file} is writable by group or others` };
    return { binary: file };
  }
  return {
    missing: `Docker Compose v${COMPOSE_VERSION} is not installed (looked in ${candidates.join(', ')}); bash .ci/build-compose.sh builds it from its Go module and installs it as the docker CLI plugin`,
  };
}

/** The `docker-compose` plugin binary (run it directly, or as `docker compose`); throws when missing. */
export function composeBinary(env = process.env): string {
  const found = findCompose(env);
  if ('missing' in found) throw new Error(found.missing);
  return found.binary;
}

/** Whether the compose tests can run: in CI a missing compose throws, elsewhere false (skip). */
export function composeAvailable(env = process.env): boolean {
  const found = findCompose(env);
  if ('binary' in found) return true;
  if (env.CI === 'true' || env.CI === '1')
    throw new Error(`compose tests cannot run in CI: ${found.missing}`);
  return false;
}
