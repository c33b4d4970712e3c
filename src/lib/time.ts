// How pages tell time: exact UTC on hover, relative in the text. The client script uses the same
// functions to re-tell relative times against the reader's clock when a page is opened later.

/** "2026-11-28 21:36 UTC" */
export function formatExact(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "just now", "12 min ago", "3 h ago", "4 days ago" (or "in …" for a time ahead of `now`). */
export function formatRelative(iso: string, nowMs: number): string {
  const ms = nowMs - Date.parse(iso);
  const ago = (text: string) => (ms < 0 ? `in ${text}` : `${text} ago`);
  const s = Math.abs(ms) / 1000;
  if (s < 45) return 'just now';
  if (s < 3600) return ago(`${Math.max(1, Math.round(s / 60))} min`);
  if (s < 48 * 3600) return ago(`${Math.round(s / 3600)} h`);
  return ago(`${Math.round(s / 86400)} days`);
}

/** "26 h", "3 days": a length of time in words. */
export function formatSpan(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.round(ms / 60_000)} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}
