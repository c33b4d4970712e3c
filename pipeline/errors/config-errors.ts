// Errors of settings read from variables and flags: each names its source and what is allowed.
import type { DockpeekError, ErrorEntry } from '../errors.ts';

const UNITS = 'docs/configuration.md#configuration';
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const show = (value: unknown) => JSON.stringify(value);

/** A setting of config/setting-table.ts as its errors describe it. */
interface SettingArgs {
  /** The flag or variable the value came from, or "the default". */
  source: string;
  raw: string;
  /** The setting's `what`, and the range describeRange gives. */
  what: string;
  range: string;
}

/** A value its parser (parseDuration, parseBytes) refused, for a setting with a range. */
type ParsedArgs = Pick<SettingArgs, 'what' | 'range'> & { parsed: DockpeekError };
type FolderArgs = { flag: string; variable: string; fallback: string };
type RetentionArgs = { value: string | undefined; max: number };

export const CONFIG_ERRORS = {
  settingNotWholeNumber: {
    code: 'config_invalid',
    title: 'A count is not a whole number',
    message: ({ source, raw }: SettingArgs) => `${source}=${show(raw)} is not a whole number`,
    hint: ({ what, range }: SettingArgs) => `${capitalise(what)}: ${range}.`,
    docs: UNITS,
  },
  settingOutOfRange: {
    code: 'config_invalid',
    title: 'A setting is out of its range',
    message: ({ source, raw }: SettingArgs) => `${source}=${show(raw)} is out of range`,
    hint: ({ what, range }: SettingArgs) => `${capitalise(what)}: ${range}.`,
    docs: UNITS,
  },
  settingNotParsed: {
    code: 'config_invalid',
    title: 'A duration or size does not parse',
    // The parser's words (durationInvalid, sizeInvalid), with the range of this setting added.
    message: ({ parsed }: ParsedArgs) => parsed.message,
    hint: ({ parsed, what, range }: ParsedArgs) =>
      `${capitalise(what)}: ${range}. ${parsed.hint ?? ''}`.trim(),
    docs: UNITS,
  },
  choiceInvalid: {
    code: 'config_invalid',
    title: 'A setting is not one of its values',
    message: ({ source, raw, values }: SettingArgs & { values: readonly string[] }) =>
      `${source}=${show(raw)} is not one of ${values.join(', ')}`,
    hint: ({ what, range }: SettingArgs & { values: readonly string[] }) =>
      `${capitalise(what)}: ${range}.`,
    docs: UNITS,
  },
  durationInvalid: {
    code: 'config_invalid',
    title: 'Not a duration',
    message: ({ name, value }: { name: string; value: string }) =>
      `${name}=${show(value)} is not a duration`,
    hint: 'Use seconds (150) or a unit: 500ms, 30s, 10m, 1h, 1h30m, 7d.',
    docs: UNITS,
  },
  sizeInvalid: {
    code: 'config_invalid',
    title: 'Not a size',
    message: ({ name, value }: { name: string; value: string }) =>
      `${name}=${show(value)} is not a size`,
    hint: 'Use bytes (268435456) or a unit: 512KiB, 64MiB, 1GiB (or KB, MB, GB for powers of 1000).',
    docs: UNITS,
  },
  switchInvalid: {
    code: 'config_invalid',
    title: 'Not a yes/no value',
    message: ({ variable, raw }: { variable: string; raw: string | undefined }) =>
      `${variable}=${show(raw)} is not a yes/no value`,
    hint: 'Use 1 or 0 (true/false, yes/no, on/off).',
    docs: UNITS,
  },
  folderEmpty: {
    code: 'config_invalid',
    title: 'A folder flag is empty',
    message: ({ flag }: FolderArgs) => `${flag} is empty`,
    hint: ({ flag, variable, fallback }: FolderArgs) =>
      `Give a folder, or leave ${flag} out to use ${variable} (default ${fallback}).`,
    docs: 'docs/configuration.md#store-site-and-schedule',
  },
  retentionCountOutOfRange: {
    code: 'config_invalid',
    title: 'The retention count is out of range',
    message: ({ value }: RetentionArgs) => `DOCKPEEK_RETENTION=${show(value)} is out of range`,
    hint: ({ max }: RetentionArgs) =>
      `A count keeps from 1 to ${max} snapshots; or give ALL,DAILY durations such as 48h,90d.`,
    docs: 'docs/deployment.md#history-and-retention',
  },
  retentionForm: {
    code: 'config_invalid',
    title: 'The retention is neither a count nor two durations',
    message: ({ value }: { value: string | undefined }) =>
      `DOCKPEEK_RETENTION=${show(value)} is neither a count nor "ALL,DAILY"`,
    hint: 'Examples: 500, or 48h,90d (all from 48 hours, then one a day for 90 days).',
    docs: 'docs/deployment.md#history-and-retention',
  },
  retentionAgeOutOfRange: {
    code: 'config_invalid',
    title: 'A retention duration is too long',
    message: ({ value }: { value: string | undefined }) =>
      `DOCKPEEK_RETENTION=${show(value)} is out of range`,
    hint: 'Each duration must be at most 100 years (3650d is ten).',
    docs: 'docs/deployment.md#history-and-retention',
  },
  trivyServerInvalid: {
    code: 'config_invalid',
    title: 'TRIVY_SERVER is not an http(s) URL',
    message: ({ value }: { value: string }) => `TRIVY_SERVER=${show(value)} is not an http(s) URL`,
    hint: 'Give the address of a `trivy server`, e.g. http://scanner.lan:4954.',
    docs: 'docs/configuration.md#scanning',
  },
} satisfies Record<string, ErrorEntry<any>>;
