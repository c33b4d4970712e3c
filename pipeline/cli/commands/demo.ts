import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { createDemoData } from '../../demo/create-demo-data.ts';
import { DEMO_FLEET } from '../../demo/sample-fleet.ts';
import { DockpeekError } from '../../errors.ts';
import { createOutput } from '../output.ts';
import { buildAndPublish, resolveSiteDir } from './build.ts';

/** `dockpeek-security demo`: build the site from the bundled sample homelab; no Docker, no Trivy. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Build the dashboard from bundled sample data (a ~44-container homelab); needs no Docker',
    )
    .option(
      '--site-dir <dir>',
      'where the site is published [env DOCKPEEK_SITE_DIR, default ./dist]',
    )
    .option('--keep-data <dir>', 'also keep the generated sample store in this folder')
    .option(
      '--containers <n>',
      `fleet size; above ${DEMO_FLEET.length} the homelab repeats on more hosts`,
      count('--containers', DEMO_FLEET.length, 100_000),
      DEMO_FLEET.length,
    )
    .option('--days <n>', 'days of archived history', count('--days', 0, 3650), 14)
    .option('-q, --quiet', 'print only warnings and errors')
    .action(async (flags: DemoFlags) => {
      const out = createOutput(process.stderr, process.env, flags.quiet);
      const dataDir = flags.keepData
        ? path.resolve(flags.keepData)
        : await mkdtemp(path.join(tmpdir(), 'dockpeek-demo-'));
      try {
        const snapshot = await createDemoData(dataDir, new Date(), flags.containers, flags.days);
        out.info(
          `demo: ${snapshot.containers.length} sample containers on ${snapshot.hosts.length} hosts`,
        );
        await buildAndPublish(dataDir, resolveSiteDir(flags.siteDir, process.env), out);
      } finally {
        if (!flags.keepData) await rm(dataDir, { recursive: true, force: true });
      }
    });
}

interface DemoFlags {
  siteDir?: string;
  keepData?: string;
  quiet?: boolean;
  containers: number;
  days: number;
}

/** A commander parser for a whole number within [min, max]. */
function count(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new DockpeekError(
        'usage',
        `${option} must be a whole number from ${min} to ${max}, got "${value}"`,
      );
    }
    return n;
  };
}
