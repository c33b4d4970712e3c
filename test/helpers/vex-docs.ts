// Accepted-risk documents written to a temp folder for one test, then loaded like DOCKPEEK_VEX.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVexRules, type VexRules } from '../../pipeline/vex/load-rules.ts';

/** Write `docs` (file name → text or JSON value) into a fresh folder; returns their paths. */
export function writeVexDocs(docs: Record<string, string | object>): {
  dir: string;
  files: string[];
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-vex-'));
  const files = Object.entries(docs).map(([name, content]) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  });
  return { dir, files };
}

/** Write and load documents, with a cap of `maxBytes` per file. */
export function loadDocs(
  docs: Record<string, string | object>,
  maxBytes = 1 << 20,
): Promise<VexRules> {
  return loadVexRules(writeVexDocs(docs).files, maxBytes);
}

/** An OpenVEX document around `statements`. */
export function openVex(statements: object[], timestamp = '2026-01-10T09:00:00Z') {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.invalid/vex/consumesafe-1',
    author: 'Homelab Ops <ops@example.invalid>',
    timestamp,
    version: 1,
    statements,
  };
}
