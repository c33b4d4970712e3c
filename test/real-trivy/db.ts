// The test vulnerability DB: built by Trivy's own builder from the vuln-list tree of the cases,
// then delivered the two ways Trivy takes a DB: seeded into a cache dir (for --skip-db-update), or
// pushed as an OCI artifact to a registry (the real download path, as an air-gapped mirror).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Carried } from './carried.ts';
import type { GhsaRecord } from './ghsa.ts';
import { writeJavaDb } from './java-db.ts';
import type { RealTools } from './tools.ts';
import { writeVulnList } from './vuln-list.ts';

export const DB_LAYER = 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip';
export const JAVA_DB_LAYER = 'application/vnd.aquasec.trivy.javadb.layer.v1.tar+gzip';
const SOURCES = ['alpine', 'debian', 'nvd', 'ghsa'];

/** Build trivy.db and metadata.json from the cases' advisories; returns their folder. */
export function buildDb(tools: RealTools, carried: Carried[], extra: GhsaRecord[] = []): string {
  const work = mkdtempSync(path.join(tmpdir(), 'dpk-trivydb-'));
  writeVulnList(path.join(work, 'src'), carried, extra);
  const out = path.join(work, 'out');
  execFileSync(
    tools.dbBuilder,
    [
      'build',
      '--cache-dir',
      path.join(work, 'src'),
      '--output-dir',
      out,
      ...SOURCES.flatMap((s) => ['--only-update', s]),
    ],
    // Its GitHub source runs `go list std` when it starts: Go must be on PATH.
    { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return out;
}

/** Seed a Trivy cache dir with the DB (as `<cache>/db/`), as a DB downloaded before would be. */
export function seedCache(cacheDir: string, dbDir: string): void {
  mkdirSync(path.join(cacheDir, 'db'), { recursive: true });
  for (const file of ['trivy.db', 'metadata.json'])
    cpSync(path.join(dbDir, file), path.join(cacheDir, 'db', file));
}

/** A tar.gz of the folder's files, as Trivy's DB artifacts hold them. */
export function tarGz(dir: string, files: string[]): Buffer {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-tgz-')), 'a.tar.gz');
  execFileSync('tar', ['-czf', out, '-C', dir, ...files]);
  return readFileSync(out);
}

/** A Java DB artifact's tar.gz. */
export function javaDbTarGz(): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-javadb-'));
  writeJavaDb(dir);
  return tarGz(dir, ['trivy-java.db', 'metadata.json']);
}

const digest = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function pushBlob(registry: string, repo: string, data: Buffer): Promise<string> {
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload refused: ${start.status}`);
  const location = new URL(start.headers.get('location')!, `http://${registry}`);
  location.searchParams.set('digest', digest(data));
  const put = await fetch(location, {
    method: 'PUT',
    body: new Uint8Array(data),
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload failed: ${put.status} ${await put.text()}`);
  return digest(data);
}

/**
 * Push one file as a one-layer OCI artifact, the shape `oras push` gives Trivy's DBs: a config of
 * Trivy's config type, the layer with its media type and an `org.opencontainers.image.title`.
 */
export async function pushArtifact(
  registry: string,
  ref: string,
  layer: { data: Buffer; mediaType: string; title: string },
): Promise<void> {
  const [repo, tag] = ref.split(':') as [string, string];
  const config = Buffer.from('{}');
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.aquasec.trivy.config.v1+json',
      digest: await pushBlob(registry, repo, config),
      size: config.length,
    },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: await pushBlob(registry, repo, layer.data),
        size: layer.data.length,
        annotations: { 'org.opencontainers.image.title': layer.title },
      },
    ],
  };
  const put = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: JSON.stringify(manifest),
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (put.status !== 201)
    throw new Error(`manifest push failed: ${put.status} ${await put.text()}`);
}
