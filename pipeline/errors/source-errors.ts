// Errors of where data is read from: the Docker hosts (DOCKER_HOST, DOCKER_HOST_<N>_*) and the
// feed sources (DOCKPEEK_KEV_URL, --kev, --from …).
import type { ErrorEntry } from '../errors.ts';

const HOSTS = 'docs/hosts.md#listing-hosts';
const URL_FORMS =
  'Use unix:///var/run/docker.sock, tcp://HOST:2375, https://HOST:2376 or ssh://USER@HOST.';
const show = (value: unknown) => JSON.stringify(value);

/** A host URL and the variable it came from. */
type HostUrlArgs = { variable: string; url: string };

/** Why a feed source (DOCKPEEK_KEV_URL, --kev, --from …) is refused. */
const FEED_SOURCE_PROBLEMS = {
  empty: 'is empty',
  notUrl: 'is not a URL',
  notHttp: 'is not an http(s) URL',
  credentials: 'contains credentials',
} as const;
/** Why a feed source is refused, as parseFeedSource names it. */
export type FeedSourceProblem = keyof typeof FEED_SOURCE_PROBLEMS;
type FeedSourceArgs = { origin: string; raw: string; problem: FeedSourceProblem };

export const SOURCE_ERRORS = {
  hostUrlMissing: {
    code: 'config_invalid',
    title: 'An extra host has no URL',
    message: ({ n }: { n: number }) =>
      `DOCKER_HOST_${n}_NAME or _CERT_PATH is set but DOCKER_HOST_${n}_URL is not`,
    hint: ({ n }: { n: number }) =>
      `Set DOCKER_HOST_${n}_URL (e.g. tcp://10.0.0.5:2375) or remove the other DOCKER_HOST_${n}_* variables.`,
    docs: HOSTS,
  },
  hostNameTaken: {
    code: 'config_invalid',
    title: 'Two hosts share a name',
    message: ({ name }: { name: string }) => `two Docker hosts are both named "${name}"`,
    hint: 'Give each host a distinct DOCKER_HOST_NAME / DOCKER_HOST_<N>_NAME.',
    docs: HOSTS,
  },
  hostUrlInvalid: {
    code: 'config_invalid',
    title: 'A host URL does not parse',
    message: ({ variable, url }: HostUrlArgs) => `${variable}=${show(url)} is not a URL`,
    hint: URL_FORMS,
    docs: HOSTS,
  },
  hostSchemeUnsupported: {
    code: 'config_invalid',
    title: 'A host URL has a scheme the client cannot use',
    message: ({ variable, scheme }: { variable: string; scheme: string }) =>
      `${variable} uses the unsupported scheme "${scheme}"`,
    hint: 'Supported: unix://, tcp://, https:// (with DOCKER_CERT_PATH) and ssh://.',
    docs: HOSTS,
  },
  hostUrlIncomplete: {
    code: 'config_invalid',
    title: 'A host URL names no socket or host',
    message: ({ variable, url }: HostUrlArgs) =>
      `${variable}=${show(url)} has no socket path or host name`,
    hint: URL_FORMS,
    docs: HOSTS,
  },
  hostNameInvalid: {
    code: 'config_invalid',
    title: 'A host name has characters it may not have',
    message: ({ variable, name }: { variable: string; name: string }) =>
      `${variable}=${show(name)} is not an allowed host name`,
    hint: 'Use 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    docs: HOSTS,
  },
  feedSourceInvalid: {
    code: 'config_invalid',
    title: 'A feed source is neither an http(s) URL nor a file',
    message: ({ origin, raw, problem }: FeedSourceArgs) =>
      `${origin}=${show(raw)} ${FEED_SOURCE_PROBLEMS[problem]}`,
    hint: 'Give an http(s) URL or the path of a local file.',
    docs: 'docs/feeds.md#settings',
  },
} satisfies Record<string, ErrorEntry<any>>;
