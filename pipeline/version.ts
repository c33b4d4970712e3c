import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root.ts';

let version: string | undefined;

/** The version in package.json, read on first use (importing this module reads nothing). */
export function readVersion(): string {
  version ??= (
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return version;
}
