// Usage errors of the commands' own flags (commander reports unknown options and missing values).
import type { ErrorEntry } from '../errors.ts';

const FEEDS = 'docs/feeds.md#offline-use';
const VEX_CHECK = 'docs/accepted-risk.md#checking-rules-vex---check';

export const COMMAND_ERRORS = {
  notifyModes: {
    code: 'usage',
    title: 'Two modes of notify at once',
    message: () => 'give at most one of --test, --dry-run and --status',
    hint: 'Run them one after the other: dockpeek-security notify --status, then notify --test.',
    docs: 'docs/notifications.md#commands',
  },
  countOutOfRange: {
    code: 'usage',
    title: 'A count flag is out of range',
    message: ({
      option,
      value,
      min,
      max,
    }: {
      option: string;
      value: string;
      min: number;
      max: number;
    }) =>
      `${option}=${JSON.stringify(value)} is out of range: a whole number from ${min} to ${max}`,
    hint: 'Give a whole number in that range, e.g. --containers 200 --days 30.',
    docs: 'docs/commands.md#commands',
  },
  vexNeedsCheck: {
    code: 'usage',
    title: 'vex without --check',
    message: () => 'vex needs --check',
    hint: 'Run: dockpeek-security vex --check',
    docs: VEX_CHECK,
  },
  vexNoRules: {
    code: 'config_invalid',
    title: 'No accepted-risk rules are configured',
    message: () => 'no accepted-risk rules configured',
    hint: 'Set DOCKPEEK_VEX (or --vex) to files or folders of .trivyignore.yaml / OpenVEX JSON.',
    docs: 'docs/accepted-risk.md#configuration',
  },
  vexTimeInvalid: {
    code: 'usage',
    title: '--at is not a time',
    message: ({ text }: { text: string }) => `--at ${JSON.stringify(text)} is not a time`,
    hint: 'Example: --at 2026-06-01',
    docs: VEX_CHECK,
  },
  feedSourceTwice: {
    code: 'usage',
    title: 'Two sources for one feed',
    message: ({ origin, feed }: { origin: string; feed: string }) =>
      `${origin} gives a second ${feed} source`,
    hint: 'Give one per feed.',
    docs: FEEDS,
  },
  feedFileUnknown: {
    code: 'usage',
    title: 'A --from file is neither KEV nor EPSS',
    message: ({ file }: { file: string }) =>
      `--from ${file}: cannot tell which feed this is (unreadable, or neither KEV JSON nor EPSS CSV)`,
    hint: 'Name it with --kev FILE or --epss FILE.',
    docs: FEEDS,
  },
} satisfies Record<string, ErrorEntry<any>>;
