import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SITE_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { option } from '../../config/option-types.ts';
import { resolveDir } from '../../config/settings.ts';
import { DEMO_FLEET } from '../../demo/sample-fleet.ts';
import { createError } from '../../errors.ts';
import { COMMAND_ERRORS } from '../../errors/command-errors.ts';
import { checkDataDir } from '../../store/data-dir.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { addSiteHelp } from './shared-options.ts';

const OPTIONS = {
  keepData: option('--keep-data <dir>', 'also keep the generated sample store in this folder'),
  containers: option(
    '--containers <n>',
    `fleet size; above ${DEMO_FLEET.length} the homelab repeats on more hosts`,
    { parse: count('--containers', DEMO_FLEET.length, 100_000), default: DEMO_FLEET.length },
  ),
  days: option('--days <n>', 'days of archived history', {
    parse: count('--days', 0, 3650),
    default: 14,
  }),
  ...SITE_OPTIONS,
  ...pickOptions('quiet'),
};

/** `dockpeek-security demo`: build the site from the bundled sample homelab; no Docker, no Trivy. */
export function defineCommand(command: Command): void {
  const readFlags = addOptions(command, OPTIONS);
  addSiteHelp(command).action(async (parsed) => {
    const flags = readFlags(parsed);
    const out = createOutput(process.stderr, process.env, flags.quiet);
    const kept = flags.keepData !== undefined;
    const dataDir = kept
      ? resolveDir({ name: '--keep-data', value: flags.keepData }, 'DOCKPEEK_DATA_DIR', {}, '.')
      : await mkdtemp(path.join(tmpdir(), 'dockpeek-demo-'));
    try {
      if (kept) await checkDataDir(dataDir);
      // The sample data, the site build and the store load only now, not for --help.
      const { resolveSiteConfig, runSiteStage } = await import('../../stages/site-stage.ts');
      // The site dir is checked before any data is made.
      const site = await resolveSiteConfig(flags, process.env, dataDir);
      const { createDemoData } = await import('../../demo/create-demo-data.ts');
      const snapshot = await createDemoData(dataDir, new Date(), flags.containers, flags.days);
      out.info(
        `demo: ${snapshot.containers.length} sample containers on ${snapshot.hosts.length} hosts`,
      );
      // The real KEV catalogue, made-up EPSS scores and three accepted-risk rules (demo/feeds).
      const { addDemoRisk } = await import('../../demo/demo-risk.ts');
      const vex = await addDemoRisk(dataDir, new Date());
      await runSiteStage({ ...site, vex: { ...site.vex, paths: vex.paths } }, out);
    } finally {
      if (!kept) await rm(dataDir, { recursive: true, force: true });
    }
  });
}

/** A commander parser for a whole number within [min, max]. */
function count(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max)
      throw createError(COMMAND_ERRORS.countOutOfRange, { option: flag, value, min, max });
    return n;
  };
}
