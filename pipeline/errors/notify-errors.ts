// Errors of the notification settings (DOCKPEEK_NOTIFY_*), apprise and the notify state file.
// A destination is named by its position and scheme, never by its text: it holds credentials.
import type { ErrorEntry } from '../errors.ts';

const DESTINATIONS = 'docs/notifications.md#destinations';
const SETTINGS = 'docs/notifications.md#configuration';
const APPRISE = 'docs/notifications.md#apprise-and-credentials-off-the-command-line';

/** "DOCKPEEK_NOTIFY_URLS item 2", and the scheme of a built-in URL. */
type ItemArgs = { where: string; scheme: string };
type SeverityArgs = {
  variable: string;
  raw: string | undefined;
  levels: readonly string[];
  /** Whether `off` is allowed too. */
  allowOff: boolean;
};
/** A dry run of apprise that did not answer: it could not start, or ran out of time. */
type AppriseRunArgs = { bin: string; spawnError: string | undefined; timeoutMs: number };

export const NOTIFY_ERRORS = {
  notifyUrlEmpty: {
    code: 'config_invalid',
    title: 'An empty notification URL',
    message: ({ where }: { where: string }) => `${where} is empty`,
    hint: 'Separate URLs with single commas, with no comma at the end.',
    docs: DESTINATIONS,
  },
  notifyUrlMalformed: {
    code: 'config_invalid',
    title: 'A notification URL is not of the form scheme://…',
    message: ({ where }: { where: string }) => `${where} is not a URL of the form scheme://…`,
    hint: 'Separate URLs with commas: ntfys://ntfy.sh/my-topic,json://hooks.lan/dockpeek,discord://ID/TOKEN',
    docs: DESTINATIONS,
  },
  notifySchemeInvalid: {
    code: 'config_invalid',
    title: 'A notification URL has an invalid scheme',
    message: ({ where, scheme }: ItemArgs) => `${where} has an invalid scheme "${scheme}://"`,
    hint: 'A scheme is a letter then letters or digits: ntfys://, json://, discord://, apprise+json://.',
    docs: DESTINATIONS,
  },
  notifyUrlInvalid: {
    code: 'config_invalid',
    title: 'A built-in notification URL does not parse',
    message: ({ where, scheme }: ItemArgs) => `${where} (${scheme}://) is not a valid URL`,
    hint: 'Write SCHEME://HOST/PATH, e.g. ntfys://ntfy.sh/my-homelab or jsons://hooks.lan/dockpeek.',
    docs: DESTINATIONS,
  },
  notifyUrlNoHost: {
    code: 'config_invalid',
    title: 'A built-in notification URL has no host',
    message: ({ where, scheme }: ItemArgs) => `${where} (${scheme}://) has no host`,
    hint: 'Write SCHEME://HOST/PATH, e.g. ntfys://ntfy.sh/my-homelab or jsons://hooks.lan/dockpeek.',
    docs: DESTINATIONS,
  },
  ntfyNoTopic: {
    code: 'config_invalid',
    title: 'An ntfy URL has no topic',
    message: ({ where, scheme }: ItemArgs) => `${where} (${scheme}://) has no topic`,
    hint: 'Write ntfys://HOST/TOPIC, e.g. ntfys://ntfy.sh/my-homelab; a token goes before the host: ntfys://TOKEN@HOST/TOPIC.',
    docs: DESTINATIONS,
  },
  ntfyOptionUnsupported: {
    code: 'config_invalid',
    title: 'An ntfy URL has an option the built-in sender does not take',
    message: ({ where, scheme, option }: ItemArgs & { option: string }) =>
      `${where} (${scheme}://) has the unsupported option "${option}"`,
    hint: 'The built-in ntfy sender takes ?token=…; for other ntfy options use apprise+ntfys://.',
    docs: DESTINATIONS,
  },
  notifyNoDestinations: {
    code: 'config_invalid',
    title: 'No notification URL is set',
    message: () => 'DOCKPEEK_NOTIFY_URLS is not set: there is nowhere to send notifications',
    hint: 'Set it to one or more comma-separated URLs, e.g. ntfys://ntfy.sh/my-homelab (docs/notifications.md).',
    docs: SETTINGS,
  },
  severityInvalid: {
    code: 'config_invalid',
    title: 'Not a severity',
    message: ({ variable, raw }: SeverityArgs) =>
      `${variable}=${JSON.stringify(raw)} is not a severity`,
    hint: ({ levels, allowOff }: SeverityArgs) =>
      `Use one of ${levels.join(', ')}${allowOff ? ', or off' : ''}.`,
    docs: SETTINGS,
  },
  digestTimeInvalid: {
    code: 'config_invalid',
    title: 'The digest time is not a time of day',
    message: ({ value }: { value: string | undefined }) =>
      `DOCKPEEK_NOTIFY_DIGEST=${JSON.stringify(value)} is not a time of day`,
    hint: 'Give the local time of the daily digest as HH:MM (00:00 to 23:59), or off for a message per run.',
    docs: SETTINGS,
  },
  publicUrlInvalid: {
    code: 'config_invalid',
    title: 'DOCKPEEK_PUBLIC_URL is not a plain http(s) URL',
    message: () => 'DOCKPEEK_PUBLIC_URL is not an http(s) URL without credentials',
    hint: 'Give the address people open the dashboard at, e.g. https://dockpeek.lan/ (it is put in every message).',
    docs: SETTINGS,
  },
  appriseMissing: {
    code: 'config_invalid',
    title: 'The apprise CLI is not installed',
    message: ({ position, scheme, bin }: { position: number; scheme: string; bin: string }) =>
      `DOCKPEEK_NOTIFY_URLS item ${position} uses ${scheme}://, which is sent through the apprise CLI, and "${bin}" is not installed or not on PATH`,
    hint: 'Install apprise (apt-get install apprise), or set DOCKPEEK_APPRISE_BIN to it. ntfy(s):// and json(s):// need nothing.',
    docs: APPRISE,
  },
  appriseCheckFailed: {
    code: 'config_invalid',
    title: 'The apprise CLI could not check the URLs',
    message: ({ bin, spawnError, timeoutMs }: AppriseRunArgs) =>
      `the apprise CLI (${bin}) could not check the apprise URLs: ${spawnError ?? `no answer within ${timeoutMs} ms`}`,
    hint: 'Run `apprise --version` to see that it works; DOCKPEEK_NOTIFY_TIMEOUT gives it more time.',
    docs: APPRISE,
  },
  appriseUrlRejected: {
    code: 'config_invalid',
    title: 'Apprise cannot use a URL',
    message: ({ position, scheme }: { position: number; scheme: string }) =>
      `DOCKPEEK_NOTIFY_URLS item ${position} (${scheme}://…) is not a URL apprise can use`,
    hint: 'Check the scheme and the parts the service needs: `apprise --details` lists every service; ntfy(s):// and json(s):// are built in.',
    docs: APPRISE,
  },
  notifyStateUnwritable: {
    code: 'db_unwritable',
    title: 'The notify state cannot be written',
    message: ({ file, reason }: { file: string; reason: string }) =>
      `cannot write ${file}: ${reason}`,
    hint: 'The previous notify state is unchanged. Free disk space or fix permissions, then run again.',
    docs: 'docs/errors.md#db_unwritable',
  },
} satisfies Record<string, ErrorEntry<any>>;
