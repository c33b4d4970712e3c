// The DockPeek image the compose test runs, built from this checkout's Dockerfile on the local
// base images. A cold build compiles Trivy from its Go module (many minutes on a small machine),
// so two `docker save` bundles are kept in the machine's tool cache, outside the clone:
//   dockpeek-image-<key>.tar       the image, keyed by every input of the build;
//   dockpeek-trivy-stage-<key>.tar the Trivy builder stage, keyed by its own inputs only.
// The first is loaded in seconds when nothing changed; after a code change the second is loaded
// and given to `docker build --cache-from`, so only the Node stages are built again.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BaseImages } from '../helpers/base-images.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE = process.env.DOCKPEEK_TOOL_CACHE ?? '/var/cache/dockpeek-tools';
/** What the build context holds (.dockerignore lets in only these). */
const INPUTS = ['Dockerfile', '.dockerignore', 'bin', 'pipeline', 'src', 'demo', 'package.json'];
const MORE_INPUTS = ['package-lock.json', 'tsconfig.json', '.ci/build-trivy.sh'];
export const DOCKPEEK_TEST_IMAGE = 'dockpeek-security:compose-test';
const TRIVY_STAGE = 'dockpeek-build/trivy-stage';

/** The certificates this machine adds (a TLS-inspecting proxy): the builder stages need them. */
function localCaCerts(): string {
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.crt'))
    .sort()
    .map((name) => readFileSync(path.join(dir, name), 'utf8').trim())
    .join('\n');
}

function hashFiles(hash: ReturnType<typeof createHash>, entries: string[]): void {
  for (const entry of entries) {
    const full = path.join(ROOT, entry);
    const files = statSync(full).isDirectory()
      ? readdirSync(full, { recursive: true, withFileTypes: true })
          .filter((f) => f.isFile())
          .map((f) => path.join(f.parentPath, f.name))
          .sort()
      : [full];
    for (const file of files) hash.update(path.relative(ROOT, file)).update(readFileSync(file));
  }
}

async function docker(socket: string, args: string[], timeoutMs = 60 * 60_000) {
  return run('docker', args, {
    env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0' },
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
  });
}

async function imageId(socket: string, ref: string): Promise<string> {
  return (await docker(socket, ['image', 'inspect', '-f', '{{.Id}}', ref])).stdout.trim();
}

/** Save `refs` to `file` through a temporary name, so a crash never leaves half a bundle. */
async function save(socket: string, file: string, refs: string[]): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  await docker(socket, ['save', '-o', partial, ...refs]);
  renameSync(partial, file);
}

/**
 * The DockPeek image in the daemon at `socket`: loaded from the cache, or built (and cached).
 * Returns its ref and how it was obtained, with the time it took.
 */
export async function ensureDockpeekImage(
  socket: string,
  bases: BaseImages,
): Promise<{ ref: string; how: 'loaded' | 'built'; seconds: number }> {
  const started = Date.now();
  const ca = localCaCerts();
  const goId = await imageId(socket, bases.golang);
  const nodeId = await imageId(socket, bases.node);
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  // The Trivy stage: the Dockerfile up to the next FROM, the Go image, the CA given to it.
  const trivyStage = dockerfile.slice(
    0,
    dockerfile.indexOf('\nFROM', dockerfile.indexOf(' AS trivy')),
  );
  const trivyKey = createHash('sha256')
    .update(trivyStage)
    .update(goId)
    .update(ca)
    .digest('hex')
    .slice(0, 16);
  const full = createHash('sha256').update(trivyKey).update(nodeId);
  hashFiles(full, [...INPUTS, ...MORE_INPUTS]);
  const key = full.digest('hex').slice(0, 16);
  mkdirSync(CACHE, { recursive: true });
  const bundle = path.join(CACHE, `dockpeek-image-${key}.tar`);
  const stageBundle = path.join(CACHE, `dockpeek-trivy-stage-${trivyKey}.tar`);
  const seconds = () => Math.round((Date.now() - started) / 1000);
  if (existsSync(bundle)) {
    await docker(socket, ['load', '-q', '-i', bundle]);
    return { ref: DOCKPEEK_TEST_IMAGE, how: 'loaded', seconds: seconds() };
  }
  const args = [
    '--network',
    'host',
    '--build-arg',
    `NODE_IMAGE=${bases.node}`,
    '--build-arg',
    `GO_IMAGE=${bases.golang}`,
    '--build-arg',
    `BUILD_CA_CERTS=${ca}`,
  ];
  const stageRef = `${TRIVY_STAGE}:${trivyKey}`;
  let cacheFrom: string[] = [];
  if (existsSync(stageBundle)) {
    await docker(socket, ['load', '-q', '-i', stageBundle]);
    cacheFrom = ['--cache-from', stageRef];
  }
  // The Trivy stage first, under its own name, so it can be kept apart from the image.
  await docker(socket, [
    'build',
    '-q',
    ...args,
    ...cacheFrom,
    '--target',
    'trivy',
    '-t',
    stageRef,
    '.',
  ]);
  // Kept at once: a run that fails later still spares the next one the Go build.
  if (!existsSync(stageBundle)) await save(socket, stageBundle, [stageRef]);
  await docker(socket, [
    'build',
    '-q',
    ...args,
    '--cache-from',
    stageRef,
    '-t',
    DOCKPEEK_TEST_IMAGE,
    '.',
  ]);
  await save(socket, bundle, [DOCKPEEK_TEST_IMAGE]);
  // Bundles of older inputs only take room.
  for (const name of readdirSync(CACHE))
    if (/^dockpeek-image-[0-9a-f]{16}\.tar$/.test(name) && name !== path.basename(bundle))
      rmSync(path.join(CACHE, name), { force: true });
  return { ref: DOCKPEEK_TEST_IMAGE, how: 'built', seconds: seconds() };
}
