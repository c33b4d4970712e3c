// The shapes of a setting (setting-table.ts declares them, settings.ts reads them).

interface Common {
  /** The environment variable, when there is one. */
  env?: string;
  /** The command-line flag that overrides it, when there is one. */
  flag?: string;
  /** The flag may be given alone (`--wait`), which means the default. */
  valueOptional?: true;
  /** What it is, for errors and --help. */
  what: string;
}
export interface DurationSetting extends Common {
  kind: 'duration';
  default: string;
  /** Inclusive range in milliseconds. */
  min: number;
  max: number;
}
export interface CountSetting extends Common {
  kind: 'count';
  default: number;
  min: number;
  max: number;
}
export interface BytesSetting extends Common {
  kind: 'bytes';
  default: string;
  min: number;
  max: number;
}
export type Setting = DurationSetting | CountSetting | BytesSetting;
/** A setting that names one of a few ways of working (read with readChoice). */
export interface ChoiceSetting extends Common {
  kind: 'choice';
  default: string;
  values: readonly string[];
}
/** A folder, resolved against the working directory (resolveDataDir, resolveSiteDir). */
export interface FolderSetting extends Common {
  kind: 'folder';
  default: string;
}
/** Any row of the table. */
export type AnySetting = Setting | ChoiceSetting | FolderSetting;
