import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed project: where package.json, src/ and node_modules/ are, whatever the cwd. */
export const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
