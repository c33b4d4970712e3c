import type { SiteFlags } from '../config/option-table.ts';
import { SETTINGS, readSetting, resolveFolder } from '../config/settings.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Reporter } from '../reporter.ts';
import { buildAndPublish } from '../site/publish-site.ts';
import { checkSiteDir } from '../site/site-dir.ts';
import { readVexConfig, type VexConfig } from '../vex/vex-config.ts';

export type { SiteFlags };

export interface SiteConfig {
  dataDir: string;
  siteDir: string;
  adopt: boolean;
  staleAfterMs: number;
  resultTtlMs: number;
  /** Accepted-risk rules: DOCKPEEK_VEX (files or folders), DOCKPEEK_VEX_MAX_SIZE. */
  vex: VexConfig;
  /** DOCKPEEK_EPSS_PERCENTILE / 100. */
  fixFirstPercentile: number;
  /** DOCKPEEK_BUILD_HEAP, in bytes. */
  buildHeapBytes: number;
  /** DOCKPEEK_BUILD_THREADS. */
  buildThreads: number;
}

/** $DOCKPEEK_SITE_DIR (or --site-dir), default ./dist, resolved against the working directory. */
export function resolveSiteDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveFolder(SETTINGS.siteDir, flag, env);
}

/**
 * The site settings, with the site dir checked before any work: a path publishing could harm is
 * refused here, with exit 1 and nothing written.
 */
export async function resolveSiteConfig(
  flags: SiteFlags,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<SiteConfig> {
  const config = {
    dataDir,
    siteDir: resolveSiteDir(flags.siteDir, env),
    adopt: Boolean(flags.adopt),
    staleAfterMs: readSetting(SETTINGS.staleAfter, undefined, env),
    resultTtlMs: readSetting(SETTINGS.resultTtl, flags.resultTtl, env),
    vex: readVexConfig(env),
    fixFirstPercentile: readSetting(SETTINGS.fixFirstPercentile, undefined, env) / 100,
    buildHeapBytes: readSetting(SETTINGS.buildHeap, undefined, env),
    buildThreads: readSetting(SETTINGS.buildThreads, undefined, env),
  };
  await checkSiteDir(config.siteDir, { dataDir, projectRoot: PROJECT_ROOT, adopt: config.adopt });
  return config;
}

/** Build the site from the store and publish it; degraded when a rules document was rejected. */
export function runSiteStage(
  config: SiteConfig,
  out: Reporter,
  now?: Date,
): Promise<{ degraded: boolean }> {
  return buildAndPublish({ ...config, ...(now && { now }) }, out);
}
