import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Put a freshly built folder in place of the published site: the old one is renamed aside first
 * and kept as `<site>.previous` for rollback. Both renames are on one filesystem.
 */
export async function publishSite(
  builtDir: string,
  siteDir: string,
): Promise<{ previous?: string }> {
  const previous = `${siteDir}.previous`;
  const exists = await stat(siteDir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(builtDir, siteDir);
    return {};
  }
  await rm(previous, { recursive: true, force: true });
  await rename(siteDir, previous);
  await rename(builtDir, siteDir);
  return { previous };
}

/** A build folder beside the site, so the final rename stays on one filesystem. */
export function stagingDir(siteDir: string): string {
  return path.join(
    path.dirname(siteDir),
    `.${path.basename(siteDir)}.building-${process.pid}-${Date.now()}`,
  );
}
