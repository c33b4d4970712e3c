// Scanning an image that has `layers` in the stand-in config, as Trivy does it
// (pkg/fanal/artifact/image/image.go, pkg/scan/service.go): ask the cache which layer blobs it
// lacks, analyse only those, store them, then detect. With --server the cache and the detection
// are the server's (pkg/cache/remote.go, pkg/rpc/client/client.go), reached over Twirp; without,
// they are local (--cache-backend fs keeps blobs in --cache-dir, memory keeps nothing).
import http from 'node:http';
import { defaultCacheDir, fatal } from './common.js';
import { analyseLayer, artifactKey, createCache, imageLayers } from './layers.js';
import { detect } from './server.js';

// The wrapping of Trivy's errors on the way up, from the image scan to `run error`.
const RUN = 'run error: image scan error: scan error: scan failed: ';
const MISSING = `${RUN}failed analysis: unable to get missing layers: unable to fetch missing layers: `;
const STORE = `${RUN}failed analysis: analyze error: `;
const DETECT = `${RUN}scan failed: failed to detect vulnerabilities via RPC: `;

/** Scan `ref` layer by layer; returns the Results and OS to print, and what was analysed. */
export async function scanLayers(flags, ref, spec) {
  const layers = imageLayers(spec);
  const artifactId = artifactKey(ref, layers);
  const blobIds = layers.map((l) => l.key);
  const cache = flags.server
    ? remoteCache(flags)
    : localCache(createCache(flags['cache-dir'] ?? defaultCacheDir(), flags['cache-backend']));
  const missing = await cache.missing(artifactId, blobIds);
  const analysed = [];
  for (const layer of layers) {
    if (!missing.missing_blob_ids.includes(layer.key)) continue;
    await cache.putBlob(layer.key, analyseLayer(layer));
    analysed.push(layer.name);
  }
  if (missing.missing_artifact)
    await cache.putArtifact(artifactId, { schema_version: 1, os: 'linux' });
  const result = await cache.scan({ target: ref, artifact_id: artifactId, blob_ids: blobIds });
  return { ...result, layers: { total: layers.length, analysed } };
}

function localCache(cache) {
  return {
    missing: async (artifactId, blobIds) => cache.missing(artifactId, blobIds),
    putBlob: async (key, blob) => cache.putBlob(key, blob),
    putArtifact: async (key, info) => cache.putArtifact(key, info),
    scan: async (request) => detect(request.target),
  };
}

/** The server's cache and scanner, each call failing the way the real client reports it. */
function remoteCache(flags) {
  const token = flags.token ?? process.env.TRIVY_TOKEN ?? '';
  const header = flags['token-header'] ?? 'Trivy-Token';
  const call = (service, method, body, wrap) =>
    twirp(`${flags.server.replace(/\/+$/, '')}/twirp/${service}/${method}`, body, {
      ...(token && { [header]: token }),
    }).catch((error) => fatal(`${wrap(method)}${error.message}`));
  const cache = 'trivy.cache.v1.Cache';
  return {
    missing: (artifactId, blobIds) =>
      call(cache, 'MissingBlobs', { artifact_id: artifactId, blob_ids: blobIds }, () => MISSING),
    putBlob: (key, blob) =>
      call(
        cache,
        'PutBlob',
        { diff_id: key, blob_info: blob },
        () =>
          `${STORE}failed to store layer: ${key} in cache: unable to store cache on the server: `,
      ),
    putArtifact: (key, info) =>
      call(
        cache,
        'PutArtifact',
        { artifact_id: key, artifact_info: info },
        () =>
          `${STORE}failed to put image info into the cache: unable to store cache on the server: `,
      ),
    scan: (request) =>
      call(
        'trivy.scanner.v1.Scanner',
        'Scan',
        { ...request, options: { scanners: ['vuln'] } },
        () => DETECT,
      ),
  };
}

/**
 * One Twirp call (JSON encoding). Rejects with the text of the Go client's error: a Twirp error
 * from the server as `twirp error <code>: <msg>`, a transport failure as twirp's wrapInternal
 * of net/http's error (`failed to do request: Post "URL": dial tcp …: connect: connection refused`).
 */
function twirp(url, body, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
    });
    request.once('error', (error) => reject(new Error(transportError(url, error))));
    request.once('response', async (response) => {
      const chunks = [];
      try {
        for await (const chunk of response) chunks.push(chunk);
      } catch (error) {
        return reject(new Error(transportError(url, error)));
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (response.statusCode === 200) return resolve(JSON.parse(text || '{}'));
      let error;
      try {
        error = JSON.parse(text);
      } catch {
        error = {
          code: 'internal',
          msg: `Error from intermediary with HTTP status code ${response.statusCode}`,
        };
      }
      reject(new Error(`twirp error ${error.code}: ${error.msg}`));
    });
    request.end(JSON.stringify(body));
  });
}

function transportError(url, error) {
  const { host } = new URL(url);
  const cause =
    error.code === 'ECONNREFUSED'
      ? `dial tcp ${host}: connect: connection refused`
      : error.code === 'ECONNRESET' || /socket hang up/.test(error.message)
        ? 'EOF'
        : error.message;
  return `twirp error internal: failed to do request: Post "${url}": ${cause}`;
}
