import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './project-root.ts';
import path from 'node:path';

/** The version in package.json. */
export const VERSION = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
