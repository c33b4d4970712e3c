import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  imageIdProblem,
  imageRefProblem,
  isValidImageId,
} from '../../pipeline/scan/image-identity.ts';
import { DbSchema, emptyDb, type Db } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli, type CliResult } from '../helpers/cli.ts';
import { fleetSnapshot, imageIdOf, type FleetImage } from '../helpers/fleet.ts';
import { STANDIN, isScan, readInvocations } from '../helpers/standin.ts';

const HEX = 'a'.repeat(64);

// Ids and references as a hostile (or broken) Docker host could report them.
const CASES: Array<{ title: string; imageId: string; ref: string; problem: RegExp | undefined }> = [
  { title: 'a real id and tag', imageId: `sha256:${HEX}`, ref: 'nginx:1.27', problem: undefined },
  {
    title: 'a registry with a port, a digest',
    imageId: `sha256:${HEX}`,
    ref: `localhost:5000/team/app@sha256:${HEX}`,
    problem: undefined,
  },
  { title: 'no id: the reference keys it', imageId: '', ref: 'busybox', problem: undefined },
  {
    title: 'an id with a path in it',
    imageId: 'sha256:../../x',
    ref: 'a:1',
    problem: /^image id "sha256:..\/..\/x" is not "sha256:" followed by 64 lowercase hex digits$/,
  },
  {
    title: 'an id in upper case',
    imageId: 'sha256:ABC',
    ref: 'a:1',
    problem: /^image id "sha256:ABC" is not/,
  },
  {
    title: 'a 64-hex id with a slash appended',
    imageId: `sha256:${HEX}/x`,
    ref: 'a:1',
    problem: /^image id .* is not/,
  },
  {
    title: 'a reference that is an option',
    imageId: `sha256:${HEX}`,
    ref: '-rf',
    problem: /^image reference "-rf" starts with "-", which trivy would read as an option$/,
  },
  {
    title: 'a reference with a newline',
    imageId: `sha256:${HEX}`,
    ref: 'nginx\n:1',
    problem:
      /^image reference "nginx\\n:1" contains whitespace or a control character \(U\+000A at position 5\)$/,
  },
  {
    title: 'a reference with a space',
    imageId: `sha256:${HEX}`,
    ref: 'a b',
    problem: /U\+0020 at position 1/,
  },
  {
    title: 'a 5000-character reference',
    imageId: `sha256:${HEX}`,
    ref: `r/${'x'.repeat(4998)}`,
    problem: /^image reference is 5000 characters long \(at most 512\)$/,
  },
  {
    title: 'shell characters',
    imageId: `sha256:${HEX}`,
    ref: 'a:1;rm',
    problem: /^image reference "a:1;rm" contains ";", which no Docker reference has$/,
  },
  { title: 'nothing at all', imageId: '', ref: '', problem: /neither a reference nor an id/ },
];

describe('image ids and references', () => {
  it.each(CASES)('$title', ({ imageId, ref, problem }) => {
    const found = imageIdProblem(imageId) ?? imageRefProblem(ref);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
    // Messages are one line, bounded, and quote hostile text escaped.
    if (found) expect(found).not.toMatch(/[\n\r]/);
    if (found) expect(found.length).toBeLessThan(200);
  });

  it('isValidImageId accepts only sha256: and 64 lowercase hex digits', () => {
    expect(isValidImageId(`sha256:${HEX}`)).toBe(true);
    for (const id of ['', `sha256:${HEX.slice(1)}`, `sha512:${HEX}`, `sha256:${HEX}\n`])
      expect(isValidImageId(id)).toBe(false);
  });
});

describe('hostile image ids and references through the real `scan` command', () => {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  // A distinct valid id for each bad reference: images are deduplicated by id.
  const hostile = CASES.filter((c) => c.problem).map((c, i) => ({
    ...c,
    imageId: isValidImageId(c.imageId) ? `sha256:${String(i).padStart(64, 'b')}` : c.imageId,
  }));
  let run: CliResult;
  let db: Db;
  // Each hostile image gets its own container; one healthy image is scanned beside them.
  const fleet: FleetImage[] = [
    { ref: 'nginx:1.27.3', behaviour: { report: 'debian-buster', ms: 10 }, on: { server: 1 } },
    ...hostile.map((_, i) => ({
      ref: `placeholder/${i}:1`,
      behaviour: { report: 'debian-buster', ms: 10 },
      on: { server: 1 as const },
    })),
  ];

  beforeAll(async () => {
    const snapshot = fleetSnapshot(
      { server: 'unix:///run/server.sock', nas: 'tcp://n:2375' },
      fleet,
    );
    hostile.forEach((c, i) => {
      const container = snapshot.containers.find((x) => x.image === `placeholder/${i}:1`)!;
      Object.assign(container, { imageId: c.imageId, image: c.ref });
    });
    writeFileSync(path.join(dataDir, 'db.json'), JSON.stringify({ ...emptyDb(), snapshot }));
    const config = path.join(dataDir, 'standin.json');
    // Any reference that reaches the stand-in is scanned: only our check can fail these images.
    writeFileSync(config, JSON.stringify({ default: { report: 'debian-buster', ms: 10 } }));
    run = await runCli(['scan'], {
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      DPK_STANDIN_LOG: log,
      HOME: dataDir,
    });
    db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
  });

  it('exits 2, scans the healthy image, and never runs trivy for a hostile one', () => {
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `1 scanned this run (trivy 0.68.2, private server cache, 1 workers): 1 ok, 0 failed; 0 reused from cache, 0 skipped, ${hostile.length} invalid`,
    );
    // Scanned, with the image's OS from the report's Metadata.OS on the record.
    expect(db.scans[imageIdOf('nginx:1.27.3')]).toMatchObject({
      status: 'scanned',
      os: { family: 'debian', name: '10.1', eosl: false },
      report: expect.stringMatching(/^[0-9a-f]{32}\.ndjson$/),
    });
    expect(
      readInvocations(log)
        .filter(isScan)
        .map((s) => s.argv.at(-1)),
    ).toEqual(['nginx:1.27.3']);
  });

  it.each(hostile)('records $title as image_invalid, alone', ({ imageId, ref, problem }) => {
    const record = db.scans[imageId || `ref:${ref}`];
    expect(record).toMatchObject({
      status: 'failed',
      error: { code: 'image_invalid', message: expect.stringMatching(problem!) },
      retryAfter: expect.any(String),
    });
    expect(record!.summary).toBeUndefined();
  });
});
