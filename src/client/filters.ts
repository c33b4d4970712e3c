// Which rows the containers table's filters keep, and what they cannot judge: a row whose image
// was not scanned (failed, pending, not scanned, skipped) has unknown findings, so a filter on
// findings (severity, fixable, KEV, EPSS, a CVE or package search) neither keeps nor drops it:
// the table says it "could also match" instead of hiding the doubt.
import { searchText, type Row } from './rows.ts';
import type { SearchHit } from './search.ts';

/** The form's non-empty fields by name. */
export type Filters = Record<string, string>;

/** A row against the filters: kept, dropped, or not judgeable (its findings are unknown). */
export type Verdict = 'match' | 'no' | 'unknown';

const UNKNOWN_STATES = ['failed', 'pending', 'not_scanned', 'skipped'] as const;
const isUnknown = (row: Row) => (UNKNOWN_STATES as readonly string[]).includes(row.state);

/** What each filter field says of a row (fields not set say nothing). */
export function verdicts(row: Row, f: Filters, q: string, hit?: SearchHit): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  const unknown = isUnknown(row);
  const on = (name: string, matches: () => boolean, onFindings: boolean) => {
    if (!f[name]) return;
    out.set(name, matches() ? 'match' : onFindings && unknown ? 'unknown' : 'no');
  };
  if (q) {
    const text = searchText(row).includes(q) || Boolean(hit?.images.has(row.image));
    // A CVE id, or a package the index knows: about findings, which are unknown here.
    const aboutFindings = Boolean(hit) || /^[a-z]+-\d/.test(q);
    out.set('q', text ? 'match' : aboutFindings && unknown ? 'unknown' : 'no');
  }
  on('host', () => row.host === f.host, false);
  on('stack', () => row.stack === f.stack, false);
  on('state', () => row.state === f.state, false);
  on('sev', () => row.severities.includes(f.sev!), true);
  on('fixable', () => row.fixable > 0, true);
  on('kev', () => row.kev, true);
  on('epss', () => row.epss >= Number(f.epss), true);
  return out;
}

/**
 * One verdict for the row: any "no" drops it, else any "unknown" leaves it in doubt. The same as
 * `verdicts`, without its map: this runs for every row at every keystroke.
 */
export function judge(row: Row, f: Filters, q: string, hit?: SearchHit): Verdict {
  if (f.host && row.host !== f.host) return 'no';
  if (f.stack && row.stack !== f.stack) return 'no';
  if (f.state && row.state !== f.state) return 'no';
  const unknown = isUnknown(row);
  let verdict: Verdict = 'match';
  if (q && !searchText(row).includes(q) && !hit?.images.has(row.image)) {
    if (!unknown || !(hit || /^[a-z]+-\d/.test(q))) return 'no';
    verdict = 'unknown';
  }
  const onFindings =
    (f.sev && !row.severities.includes(f.sev)) ||
    (f.fixable && !(row.fixable > 0)) ||
    (f.kev && !row.kev) ||
    (f.epss && !(row.epss >= Number(f.epss)));
  if (onFindings) return unknown ? 'unknown' : 'no';
  return verdict;
}

const STATE_WORDS: Record<(typeof UNKNOWN_STATES)[number], string> = {
  not_scanned: 'not scanned',
  failed: 'with a failed scan',
  pending: 'pending a scan',
  skipped: 'skipped by label',
};

/** "5 more containers could also match (3 not scanned, 2 with a failed scan): …", or ''. */
export function describeDoubt(doubtful: Row[]): string {
  if (doubtful.length === 0) return '';
  const parts = UNKNOWN_STATES.flatMap((state) => {
    const n = doubtful.filter((r) => r.state === state).length;
    return n ? [`${n} ${STATE_WORDS[state]}`] : [];
  });
  const n = doubtful.length;
  return `${n} more container${n === 1 ? '' : 's'} could also match (${parts.join(', ')}): their findings are unknown, so these filters cannot judge them.`;
}

/** What the host filter must say of a host that did not answer, or ''. */
export function describeHost(select: HTMLSelectElement | null): string {
  const option = select?.selectedOptions[0];
  const why = option?.dataset.down;
  if (!option || why === undefined) return '';
  return `Host ${option.value} was unreachable when the snapshot was taken (${why}): its containers are unknown, not absent.`;
}
