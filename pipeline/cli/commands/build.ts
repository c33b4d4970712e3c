import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { formatDuration } from '../../config/duration.ts';
import { pick, resolveDataDir } from '../../config/settings.ts';
import { DockpeekError } from '../../errors.ts';
import { PROJECT_ROOT, buildSite } from '../../site/build-site.ts';
import { prepareHistoryReuse } from '../../site/history-pages.ts';
import { createBuildDir, publishRelease } from '../../site/publish.ts';
import { openStore } from '../../store/db.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { createOutput, type Output } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

/** Resolve $DOCKPEEK_SITE_DIR (or --site-dir), default ./dist. */
export function resolveSiteDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(pick(flag, env.DOCKPEEK_SITE_DIR, './dist'));
}

/** Build the site from `dataDir` and publish it to `siteDir`, saying where and how big. */
export async function buildAndPublish(
  dataDir: string,
  siteDir: string,
  out: Output,
): Promise<void> {
  const started = performance.now();
  const staging = await createBuildDir(siteDir);
  try {
    const history = await prepareHistoryReuse(siteDir, staging, PROJECT_ROOT);
    await buildSite(dataDir, staging, history.env);
    const reused = await history.finish();
    const { pages, bytes } = await measure(staging);
    await publishRelease(staging, siteDir);
    const unchanged = reused > 0 ? ` (${reused} snapshot pages unchanged, linked)` : '';
    out.info(
      `build: ${pages} pages${unchanged}, ${(bytes / 1024).toFixed(0)} KiB, published to ${siteDir} in ${formatDuration(performance.now() - started)}`,
    );
    out.info(
      `  open ${path.join(siteDir, 'index.html')} in a browser, or serve ${siteDir} with nginx`,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function measure(dir: string): Promise<{ pages: number; bytes: number }> {
  let pages = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    if (entry.name.endsWith('.html')) pages += 1;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { pages, bytes };
}

/** `dockpeek-security build`: render the store into the static site and publish it. */
export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('Render the current snapshot and scans into the static dashboard and publish it')
    .option('--data-dir <dir>', 'where db.json lives [env DOCKPEEK_DATA_DIR, default ./data]')
    .option(
      '--site-dir <dir>',
      'where the site is published [env DOCKPEEK_SITE_DIR, default ./dist]',
    )
    .option('-q, --quiet', 'print only warnings and errors')
    .option(
      '--wait [duration]',
      'if another run holds the data dir, wait for it (default up to 30m)',
    )
    .addHelpText(
      'after',
      '\n<site-dir> becomes a symlink to <site-dir>.releases/<time>/, swapped atomically; the last 3 releases are kept\n' +
        'for rollback. The site works from file:// and under any URL path.',
    )
    .action(
      async (flags: {
        dataDir?: string;
        siteDir?: string;
        quiet?: boolean;
        wait?: string | boolean;
      }) => {
        const out = createOutput(process.stderr, process.env, flags.quiet);
        const dataDir = resolveDataDir(flags.dataDir, process.env);
        await withRunLock(dataDir, 'build', flags.wait, out, async () => {
          const store = await openStore(dataDir);
          reportRecovery(store, out);
          if (!store.db.data.snapshot) {
            throw new DockpeekError(
              'no_snapshot',
              `there is no snapshot in ${store.file} yet`,
              'Run `dockpeek-security snapshot` first, or `npm run demo` for sample data.',
            );
          }
          await buildAndPublish(dataDir, resolveSiteDir(flags.siteDir, process.env), out);
        });
      },
    );
}
