import type { Command } from 'commander';
import { formatDuration } from '../../config/duration.ts';
import { pickOptions } from '../../config/option-table.ts';
import { option } from '../../config/option-types.ts';
import { SETTINGS, readOptionalValue, resolveDataDir } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';

const OPTIONS = {
  ...pickOptions('dataDir', 'every'),
  json: option('--json', 'print the verdict and what it was judged on as one JSON object'),
};

/** `dockpeek-security status`: exit 0 when refresh keeps up, 1 with one line per reason. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nGive it the --every of your refresh (alone or absent: the default, 30m). Unhealthy when the last\n' +
        'refresh (its snapshot) is older than twice that, or when the run lock is stale: its process is gone,\n' +
        'or it has been held longer than twice that. Before the first snapshot, a live run holding the lock\n' +
        "counts as healthy. Reads the data dir only. The image's HEALTHCHECK runs it (docs/deployment.md).\n" +
        'Exit codes: 0 healthy, 1 unhealthy or a configuration error.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      // Absent or alone: the default, as `refresh --every` alone.
      const everyMs = readOptionalValue(SETTINGS.every, flags.every || true)!;
      const { judgeHealth, readHealthInputs } = await import('./status-check.ts');
      const now = Date.now();
      const health = judgeHealth(await readHealthInputs(dataDir, now), 2 * everyMs, now);
      const out = createOutput();
      if (flags.json)
        out.print(JSON.stringify({ checkedAt: new Date(now).toISOString(), ...health }));
      else if (health.healthy) out.print(healthyLine(health.lastRefreshAt, now));
      else for (const reason of health.reasons) out.print(`unhealthy: ${reason}`);
      if (!health.healthy) setExit(EXIT.usage);
    });
}

/** The one line of a healthy verdict. */
function healthyLine(lastRefreshAt: string | null, now: number): string {
  if (!lastRefreshAt) return 'healthy: the first refresh is running';
  return `healthy: last refresh ${formatDuration(now - Date.parse(lastRefreshAt))} ago`;
}
