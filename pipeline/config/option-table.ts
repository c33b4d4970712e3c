// Every option more than one command takes, declared once. The options of the setting table are
// generated from its rows (flag, variable, default and range in one place); the rest are written
// here. A command picks its options by name (pickOptions) and cli/options.ts adds them to commander.

import { SETTINGS, helpFor, type AnySetting } from './settings.ts';
import { option, type FlagsOf, type OptionSpec } from './option-types.ts';

/** The placeholder of a setting's value in --help. */
const PLACEHOLDER = {
  duration: 'duration',
  count: 'n',
  bytes: 'size',
  choice: 'value',
  folder: 'dir',
};

type Settings = typeof SETTINGS;
/** The settings that have a flag. */
export type FlagSettingKey = {
  [K in keyof Settings]: Settings[K] extends { flag: string } ? K : never;
}[keyof Settings];
/** What commander gives for a setting's flag: its text, or `true` when it may stand alone. */
type SettingValue<S> = S extends { valueOptional: true } ? string | true : string;

/** The option of a setting's flag: `--workers <n>`, `--wait [duration]`, its help from helpFor. */
function settingOption(setting: AnySetting): OptionSpec {
  const name = PLACEHOLDER[setting.kind];
  return option(
    `${setting.flag!} ${setting.valueOptional ? `[${name}]` : `<${name}>`}`,
    helpFor(setting),
  );
}

/** Every setting with a flag, as an option, generated from the setting table. */
export const SETTING_OPTIONS = Object.fromEntries(
  Object.entries(SETTINGS as Record<string, AnySetting>).flatMap(([key, setting]) =>
    setting.flag ? [[key, settingOption(setting)]] : [],
  ),
) as { [K in FlagSettingKey]: OptionSpec<SettingValue<Settings[K]>, false> };

/** Options of several commands that are not settings of the table. */
const SHARED_OPTIONS = {
  dockerHost: option(
    '--docker-host <url>',
    'the first host [env DOCKER_HOST, default unix:///var/run/docker.sock]',
  ),
  inspect: option(
    '--inspect',
    'also inspect each container for started time and restart count (1 request per container) [env DOCKPEEK_INSPECT=1]',
  ),
  force: option(
    '--force',
    'reuse no cached result, ignoring the TTLs: rescan every image, ask again for every update',
  ),
  adopt: option(
    '--adopt',
    'if the site dir is a folder with files, move it to <site-dir>.releases/adopted-<time>/ (kept) and publish in its place',
  ),
  quiet: option('-q, --quiet', 'print only warnings and errors'),
  kev: option('--kev <url-or-file>', 'KEV source for this run only [env DOCKPEEK_KEV_URL]'),
  epss: option('--epss <url-or-file>', 'EPSS source for this run only [env DOCKPEEK_EPSS_URL]'),
  from: option(
    '--from <file...>',
    'local feed files (offline): KEV JSON or EPSS CSV(.gz), told apart by their content',
  ),
};

/** Every shared option by name: each flag is declared once, here or in the setting table. */
export const OPTIONS = { ...SETTING_OPTIONS, ...SHARED_OPTIONS };
export type OptionName = keyof typeof OPTIONS;

/** The named options, in the order given (the order of --help). */
export function pickOptions<const K extends OptionName>(
  ...names: K[]
): { [N in K]: (typeof OPTIONS)[N] } {
  return Object.fromEntries(names.map((name) => [name, OPTIONS[name]])) as {
    [N in K]: (typeof OPTIONS)[N];
  };
}

/** Options of the snapshot stage, on `snapshot` and `refresh`. */
export const SNAPSHOT_OPTIONS = pickOptions(
  'dockerHost',
  'connectTimeout',
  'dockerTimeout',
  'inspect',
);
export type SnapshotFlags = FlagsOf<typeof SNAPSHOT_OPTIONS>;

/** Options of the scan stage, on `scan` and `refresh`. */
export const SCAN_OPTIONS = pickOptions(
  'scanWorkers',
  'scanTimeout',
  'failedTtl',
  'resultTtl',
  'force',
);
export type ScanFlags = FlagsOf<typeof SCAN_OPTIONS>;

/** Options of the commands that publish the site: build, demo, refresh. */
export const SITE_OPTIONS = pickOptions('siteDir', 'adopt');
/** refresh's --result-ttl also tells the site which results are current. */
export type SiteFlags = FlagsOf<typeof SITE_OPTIONS> & Pick<ScanFlags, 'resultTtl'>;

/** Options of the update check, on `updates` and `refresh`. */
export const UPDATE_OPTIONS = pickOptions('updateTtl', 'force');
export type UpdateFlags = FlagsOf<typeof UPDATE_OPTIONS>;

/** Options of `feeds`: explicit sources (URL or file) limit the run to those feeds. */
export const FEEDS_OPTIONS = pickOptions('kev', 'epss', 'from');
export type FeedsFlags = FlagsOf<typeof FEEDS_OPTIONS>;
