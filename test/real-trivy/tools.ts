// Where the real Trivy and its DB builder are: DOCKPEEK_REAL_TRIVY names the trivy binary, and
// `trivy-db` lies beside it (`bash .ci/build-trivy.sh` builds both and prints their folder). In CI
// (CI=true) a missing binary fails the run; elsewhere the tests that need it are skipped, and the
// global setup says why in one line.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export interface RealTools {
  trivy: string;
  dbBuilder: string;
}

export const TOOLS_VARIABLE = 'DOCKPEEK_REAL_TRIVY';

/** The tools, or why they cannot be used. */
export function findRealTools(env = process.env): { tools: RealTools } | { missing: string } {
  const trivy = env[TOOLS_VARIABLE];
  if (!trivy)
    return {
      missing: `${TOOLS_VARIABLE} is not set (bash .ci/build-trivy.sh builds Trivy and prints its folder)`,
    };
  const dbBuilder = path.join(path.dirname(trivy), 'trivy-db');
  for (const file of [trivy, dbBuilder]) {
    if (!existsSync(file)) return { missing: `${file} does not exist` };
    const mode = statSync(file).mode;
    if (!(mode & 0o111)) return { missing: `${file} is not executable` };
    // Never run a binary another user could have replaced.
    if (mode & 0o022) return { missing: `${file} is writable by group or others` };
  }
  return { tools: { trivy, dbBuilder } };
}

/** The tools; in CI their absence is an error, elsewhere undefined (the caller skips). */
export function realTools(env = process.env): RealTools | undefined {
  const found = findRealTools(env);
  if ('tools' in found) return found.tools;
  if (env.CI === 'true' || env.CI === '1')
    throw new Error(`real-Trivy tests cannot run in CI: ${found.missing}`);
  return undefined;
}
