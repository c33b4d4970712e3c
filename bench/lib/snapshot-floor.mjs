// The floor of a `snapshot` in a fresh Node process: the same I/O and nothing else. It reads
// db.json, lists containers and images on one unix socket (GET /_ping first, as the CLI does),
// and writes db.json and one archive file, each through a temp file and a rename. No validation,
// no size bounds, no lock, no CLI and no labels: what the CLI does on top of this is its own cost.
// Plain JavaScript, so that Node's type stripping is not counted either.
//   node bench/lib/snapshot-floor.mjs <socket> <data dir>
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [socketPath, dataDir] = process.argv.slice(2);

function get(urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: urlPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

function writeAtomic(file, text) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const dbFile = path.join(dataDir, 'db.json');
let db = {};
try {
  db = JSON.parse(readFileSync(dbFile, 'utf8'));
} catch {
  mkdirSync(path.join(dataDir, 'archive'), { recursive: true });
}
await get('/_ping');
const [containers, images] = await Promise.all([
  get('/containers/json?all=1').then(JSON.parse),
  get('/images/json').then(JSON.parse),
]);
const digests = new Map(images.map((i) => [i.Id, i.RepoDigests ?? []]));
const takenAt = new Date().toISOString();
const snapshot = {
  takenAt,
  containers: containers.map((c) => ({
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    digests: digests.get(c.ImageID) ?? [],
    state: c.State,
    labels: c.Labels,
  })),
};
db = { ...db, snapshot };
writeAtomic(dbFile, JSON.stringify(db));
writeAtomic(
  path.join(dataDir, 'archive', `snapshot-${takenAt.replace(/[:.]/g, '-')}.json`),
  JSON.stringify(snapshot),
);
