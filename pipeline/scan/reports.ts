import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { FindingSchema, type Finding } from './trivy-report.ts';

/** Full findings of one image live in their own file, so db.json stays small as fleets grow. */
export function reportsDir(dataDir: string): string {
  return path.join(dataDir, 'reports');
}

/** Write findings under a name derived from their content; identical reports share one file. */
export async function writeReport(dir: string, findings: Finding[]): Promise<string> {
  const text = `${JSON.stringify(findings)}\n`;
  const name = `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.json`;
  const file = path.join(dir, name);
  await mkdir(dir, { recursive: true });
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) await writeFileAtomic(file, text);
  return name;
}

/** Read one image's findings back; null when the file is missing or damaged. */
export async function readReport(dir: string, name: string): Promise<Finding[] | null> {
  try {
    const parsed = z
      .array(FindingSchema)
      .safeParse(JSON.parse(await readFile(path.join(dir, name), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
