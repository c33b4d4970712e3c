import { plainBlock } from '../safe-text.ts';
import type { FailureCode } from '../vocabulary.ts';

export interface ScanFailure {
  code: FailureCode;
  /** Trivy's FATAL line (without timestamp and prefix), or what we saw instead. */
  message: string;
}

const MAX_MESSAGE = 2000;

/** The FATAL line of Trivy's stderr plus its indented detail lines ("* docker error: …"). */
export function fatalMessage(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => /\bFATAL\b/.test(l));
  if (at < 0) return undefined;
  const head = lines[at]!.replace(/^.*?\bFATAL\b\s*(Fatal error\s*)?/, '').trim();
  const detail = lines
    .slice(at + 1)
    .filter((l) => /^\s+\*/.test(l))
    .map((l) => l.trim());
  // A bare "FATAL" says nothing; the caller then falls back to the last lines.
  return [head, ...detail].filter(Boolean).join('\n').slice(0, MAX_MESSAGE) || undefined;
}

/**
 * Trivy's errors about its vulnerability DB or Java DB (pkg/commands/artifact/run.go, pkg/db,
 * pkg/javadb). A bare "DB error:" is not one: Trivy's scan cache (pkg/cache/fs.go) wraps its own
 * errors so too; only the runner's "init error: DB error:" is the vulnerability DB.
 */
const VULNERABILITY_DB =
  /init error: DB error:|failed to download vulnerability DB|--skip-db-update cannot be specified|DB schema doesn't match|error in vulnerability DB initialize|Java DB/;

/** Classify a trivy run that did not succeed, from its stderr. */
export function classifyFailure(stderr: string, exitCode: number | undefined): ScanFailure {
  const fatal = fatalMessage(stderr);
  // Trivy's words are kept line by line, without their controls (a Go panic's tabs too).
  const message = plainBlock(
    fatal ??
      (lastLines(stderr) ||
        `trivy exited with code ${exitCode ?? 'unknown'} and printed nothing on stderr`),
  );
  const text = fatal ?? stderr;
  if (
    /unable to find the specified image|No such image|MANIFEST_UNKNOWN|UNAUTHORIZED|manifest unknown/.test(
      text,
    )
  ) {
    return { code: 'image_unavailable', message };
  }
  // After the image check: a containerd source that fails to dial also says "deadline exceeded".
  if (/context deadline exceeded/.test(text)) return { code: 'scan_timeout', message };
  if (VULNERABILITY_DB.test(text)) return { code: 'db_unavailable', message };
  return { code: 'scan_failed', message };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n').slice(0, MAX_MESSAGE);
}
