// The environment every trivy process gets. Trivy reads each TRIVY_<FLAG> variable as its flag,
// so an inherited TRIVY_EXIT_CODE, TRIVY_SEVERITY or TRIVY_SERVER would silently change what a
// report means (or where it comes from). Only the variables that say where the DBs come from and
// how to reach registries are passed on; DockPeek then sets what its runs rely on.

/** Inherited TRIVY_* variables passed on to trivy: DB mirrors and registry access. */
export const PASSED_TRIVY_VARIABLES = [
  'TRIVY_DB_REPOSITORY',
  'TRIVY_JAVA_DB_REPOSITORY',
  'TRIVY_INSECURE',
  'TRIVY_NON_SSL',
  'TRIVY_CACERT',
  'TRIVY_USERNAME',
  'TRIVY_PASSWORD',
  'TRIVY_REGISTRY_TOKEN',
] as const;

/** DockPeek's own settings that share Trivy's prefix; read by DockPeek, never passed on. */
const OWN_VARIABLES = new Set([
  'TRIVY_BIN',
  'TRIVY_SERVER',
  'TRIVY_TOKEN',
  'TRIVY_CACHE_DIR',
  'TRIVY_SCAN_STRATEGY',
  'TRIVY_SCAN_TIMEOUT',
  'TRIVY_SCAN_WORKERS',
  'TRIVY_FAILED_TTL',
  'TRIVY_RESULT_TTL',
]);

const PASSED = new Set<string>(PASSED_TRIVY_VARIABLES);

/**
 * Set on every run: no call to Trivy's version-check and telemetry service (both must be off for
 * no request to be made), exit 0 whatever the report holds, no package list in the report (only
 * vulnerabilities are read), no WASM modules from ~/.trivy. Variables of flags a subcommand (or an
 * older Trivy) lacks are ignored by trivy, so these suit every subcommand and version.
 */
export function fixedTrivyVariables(workDir: string): Record<string, string> {
  return {
    TRIVY_SKIP_VERSION_CHECK: 'true',
    TRIVY_DISABLE_TELEMETRY: 'true',
    TRIVY_EXIT_CODE: '0',
    TRIVY_EXIT_ON_EOL: '0',
    TRIVY_LIST_ALL_PKGS: 'false',
    TRIVY_MODULE_DIR: workDir,
  };
}

/** Added for scans only: the Java DB comes from the run's one download (java-db.ts). */
export const SCAN_ONLY_VARIABLES = { TRIVY_SKIP_JAVA_DB_UPDATE: 'true' } as const;

export interface TrivyEnvironment {
  /** What every trivy process starts from (without any token). */
  env: Record<string, string>;
  /** Inherited TRIVY_* variables that were dropped, by name, for one note per run. */
  dropped: string[];
}

/** Our environment with only the passed TRIVY_* variables, plus the fixed ones. */
export function trivyEnvironment(env: NodeJS.ProcessEnv, workDir: string): TrivyEnvironment {
  const result: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (!key.startsWith('TRIVY_') || PASSED.has(key)) result[key] = value;
    else if (!OWN_VARIABLES.has(key)) dropped.push(key);
  }
  return { env: { ...result, ...fixedTrivyVariables(workDir) }, dropped: dropped.sort() };
}

/** The one line said when inherited variables were dropped. */
export function describeDropped(dropped: string[]): string | undefined {
  if (!dropped.length) return undefined;
  return `ignored ${dropped.join(', ')} from the environment: trivy runs with only the TRIVY_* variables that choose DB mirrors and registry access (docs/scanning.md, "Trivy's environment")`;
}
