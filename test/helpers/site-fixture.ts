import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { imageRefProblem } from '../../pipeline/scan/image-identity.ts';
import { reportsDir, writeReport } from '../../pipeline/scan/reports.ts';
import { summarize, type Finding } from '../../pipeline/scan/trivy-report.ts';
import type { Container } from '../../pipeline/snapshot/schema.ts';
import { DbSchema, type Db } from '../../pipeline/store/schema.ts';

export const HOSTILE_TEXT = '<img src=x onerror=alert(1)>';
export const HOSTILE_TITLE = '<script>alert("title")</script>';

/**
 * The demo store plus one hostile container whose image has a HIGH finding with a script title;
 * with `links`, one more image ("evil/links:1") has one finding per URL in `links`.
 */
export async function createSiteFixture(links: string[] = []): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-site-'));
  await createDemoData(dataDir);
  const file = path.join(dataDir, 'db.json');
  const db = DbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const template = db.snapshot!.containers.find((c) => c.name === 'bazarr')!;
  const imageId = `sha256:${'e'.repeat(64)}`;
  db.snapshot!.containers.push({
    ...template,
    id: 'f'.repeat(64),
    name: 'hostile',
    image: 'evil/app:1',
    imageId,
    stack: HOSTILE_TEXT,
    labels: { 'dockpeek.stack': HOSTILE_TEXT },
    orchestration: {
      ...template.orchestration,
      stackOverride: HOSTILE_TEXT,
      warnings: [
        `dockpeek.anchor ${JSON.stringify(HOSTILE_TITLE)} is not a valid container name; ignored`,
      ],
    },
  });
  const findings: Finding[] = [
    {
      id: 'CVE-2099-0001',
      pkg: 'libevil',
      installed: '1.0',
      fixed: '1.1',
      status: 'fixed',
      severity: 'high',
      title: HOSTILE_TITLE,
      cvss: 8.1,
      url: 'https://avd.aquasec.com/nvd/cve-2099-0001',
      target: 'evil (debian 12)',
    },
    {
      id: 'CVE-2099-0002',
      pkg: 'libevil',
      installed: '1.0',
      severity: 'critical',
      title: 'No fix yet',
      target: 'evil (debian 12)',
    },
  ];
  const report = await writeReport(reportsDir(dataDir), findings);
  const at = new Date().toISOString();
  db.scans[imageId] = {
    status: 'scanned',
    imageId,
    ref: 'evil/app:1',
    host: 'server',
    updatedAt: at,
    scannedAt: at,
    summary: summarize(findings),
    report,
    durationMs: 1000,
    trivyVersion: '0.68.2',
  };
  if (links.length > 0) await addLinksImage(dataDir, db, template, links);
  writeFileSync(file, JSON.stringify(db));
  return dataDir;
}

/** An image whose findings carry the given advisory URLs, one each (CVE-2099-1000 and up). */
async function addLinksImage(
  dataDir: string,
  db: Db,
  template: Container,
  links: string[],
): Promise<void> {
  const imageId = `sha256:${'d'.repeat(64)}`;
  db.snapshot!.containers.push({
    ...template,
    id: 'c'.repeat(64),
    name: 'links',
    image: 'evil/links:1',
    imageId,
  });
  const findings: Finding[] = links.map((url, i) => ({
    id: `CVE-2099-${1000 + i}`,
    pkg: 'liblink',
    installed: '1.0',
    severity: 'medium',
    title: `hostile link ${i}`,
    url,
    target: 'evil (debian 12)',
  }));
  const at = new Date().toISOString();
  db.scans[imageId] = {
    status: 'scanned',
    imageId,
    ref: 'evil/links:1',
    host: 'server',
    updatedAt: at,
    scannedAt: at,
    summary: summarize(findings),
    report: await writeReport(reportsDir(dataDir), findings),
  };
}

/** Names every object has, or that replace an object's prototype when used as a key. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'] as const;
/** The image whose findings carry them, as package names and as CVE ids. */
export const KEYS_IMAGE = 'constructor';
/** Its image id. */
export const KEYS_IMAGE_ID = `sha256:${'7'.repeat(64)}`;
/** An image reference no Docker accepts, as a hostile host could report it. */
export const PROTO_IMAGE = '__proto__';

/**
 * The demo store plus data named like Object.prototype's properties: the image "constructor"
 * (a valid reference) in stack "__proto__", whose findings have packages and CVE ids named
 * PROTOTYPE_NAMES (package i with CVE-2099-710i), and a container of the image "__proto__"
 * (recorded image_invalid, as a scan would). Neither image has an update record.
 */
export async function createPrototypeKeysFixture(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-proto-'));
  await createDemoData(dataDir);
  const file = path.join(dataDir, 'db.json');
  const db = DbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const template = db.snapshot!.containers.find((c) => c.name === 'bazarr')!;
  const plain = { ...template, labels: {}, stack: '__proto__' };
  db.snapshot!.containers.push(
    {
      ...plain,
      id: '7'.repeat(64),
      name: 'constructor',
      image: KEYS_IMAGE,
      imageId: KEYS_IMAGE_ID,
    },
    { ...plain, id: '6'.repeat(64), name: 'proto', image: PROTO_IMAGE, imageId: '' },
  );
  const findings: Finding[] = PROTOTYPE_NAMES.flatMap((name, i): Finding[] => [
    {
      id: `CVE-2099-710${i}`,
      pkg: name,
      installed: '1.0',
      fixed: '1.1',
      severity: 'high',
      title: `a flaw in ${name}`,
      target: 'keys (debian 12)',
    },
    { id: name, pkg: 'libkeys', installed: '2.0', severity: 'medium', target: 'keys (debian 12)' },
  ]);
  const at = new Date().toISOString();
  db.scans[KEYS_IMAGE_ID] = {
    status: 'scanned',
    imageId: KEYS_IMAGE_ID,
    ref: KEYS_IMAGE,
    host: template.host,
    updatedAt: at,
    scannedAt: at,
    summary: summarize(findings),
    report: await writeReport(reportsDir(dataDir), findings),
  };
  db.scans[`ref:${PROTO_IMAGE}`] = {
    status: 'failed',
    imageId: '',
    ref: PROTO_IMAGE,
    host: template.host,
    updatedAt: at,
    error: { code: 'image_invalid', message: imageRefProblem(PROTO_IMAGE)! },
  };
  delete db.updates[KEYS_IMAGE];
  writeFileSync(file, JSON.stringify(db));
  return dataDir;
}
