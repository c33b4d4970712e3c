// The stand-in's model of image layers and Trivy's scan cache. An image config may list `layers`
// (names or sha256 digests, shared between images like real base layers); analysing one costs
// real CPU time, and what was analysed is kept as a blob under a cache key, as Trivy's fs cache
// keeps it (pkg/cache/fs.go, pkg/cache/key.go, pkg/fanal/artifact/image/image.go).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config, version } from './common.js';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** A layer's diff ID: the digest itself, or one made from a readable name. */
export function diffIdOf(layer) {
  return /^sha256:[0-9a-f]{64}$/.test(layer) ? layer : `sha256:${sha256(layer)}`;
}

/**
 * Trivy's cache key of a blob or an artifact: the id hashed with the analyser versions, so a
 * Trivy upgrade misses every blob cached by an older one (pkg/cache/key.go CalcKey).
 */
export function cacheKey(id) {
  return `sha256:${sha256(JSON.stringify({ ID: id, AnalyzerVersions: `stand-in ${version}` }))}`;
}

/** The layers of an image spec, each with its diff ID, cache key and analysis cost. */
export function imageLayers(spec) {
  return (spec.layers ?? []).map((layer) => {
    const diffId = diffIdOf(layer);
    return { name: layer, diffId, key: cacheKey(diffId), cpuMs: layerCost(layer) };
  });
}

/** CPU milliseconds to analyse a layer: config.layerCosts[name], else config.layerCpuMs. */
function layerCost(layer) {
  return config.layerCosts?.[layer] ?? config.layerCpuMs ?? 20;
}

/** Artifact key of an image: its reference and layers (Trivy uses the image ID, same effect). */
export function artifactKey(ref, layers) {
  return cacheKey(`${ref}\n${layers.map((l) => l.diffId).join('\n')}`);
}

/** Spend `ms` of real CPU time (SHA-256 of a buffer, over and over), as layer analysis does. */
export function burnCpu(ms) {
  if (!(ms > 0)) return;
  const block = Buffer.alloc(64 * 1024, 7);
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 16; i++) createHash('sha256').update(block).digest();
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

/** "Analyse" one layer: the CPU it costs, and the blob Trivy would store for it. */
export function analyseLayer(layer) {
  burnCpu(layer.cpuMs);
  return { schema_version: 2, diff_id: layer.diffId, digest: layer.diffId };
}

/**
 * A scan cache: blobs and artifacts by key, in files under `<cache-dir>/fanal/` (kept across
 * processes, like fanal.db), or in memory (`--cache-backend memory`: gone when the process ends).
 */
export function createCache(cacheDir, backend = 'fs') {
  const memory = new Map();
  const dir = path.join(cacheDir, 'fanal', 'stand-in-cache');
  const file = (kind, key) => path.join(dir, kind, `${key.replace(/^sha256:/, '')}.json`);
  const has = (kind, key) =>
    backend === 'memory' ? memory.has(`${kind}/${key}`) : existsSync(file(kind, key));
  const put = (kind, key, value) => {
    if (backend === 'memory') return void memory.set(`${kind}/${key}`, value);
    mkdirSync(path.join(dir, kind), { recursive: true });
    // Whole or not at all, like a bbolt transaction.
    const tmp = `${file(kind, key)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file(kind, key));
  };
  const get = (kind, key) =>
    backend === 'memory'
      ? memory.get(`${kind}/${key}`)
      : has(kind, key)
        ? JSON.parse(readFileSync(file(kind, key), 'utf8'))
        : undefined;
  return {
    /** Trivy's MissingBlobs: is the artifact missing, and which blob keys are. */
    missing: (artifactId, blobIds) => ({
      missing_artifact: !has('artifact', artifactId),
      missing_blob_ids: blobIds.filter((id) => !has('blob', id)),
    }),
    putBlob: (key, blob) => put('blob', key, blob),
    putArtifact: (key, info) => put('artifact', key, info),
    getBlob: (key) => get('blob', key),
  };
}
