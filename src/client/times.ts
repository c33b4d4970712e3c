import { formatRelative, formatSpan } from '../lib/time.ts';

// Relative times and the stale banner, re-told against the reader's clock: a page opened days
// after it was built says so, offline too.

/** Re-tell every <time data-relative> and show or hide the stale banner. */
export function refreshTimes(now: number = Date.now()): void {
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    el.textContent = formatRelative(el.dateTime, now);
  }
  const banner = document.querySelector<HTMLElement>('[data-stale]');
  if (!banner) return;
  const reasons: string[] = [];
  const snapshotAt = banner.dataset.snapshotAt;
  const staleAfter = Number(banner.dataset.staleAfter);
  if (snapshotAt && now - Date.parse(snapshotAt) > staleAfter)
    reasons.push(
      `The snapshot was taken ${formatRelative(snapshotAt, now)}, more than ${formatSpan(staleAfter)} ago: is the refresh job still running?`,
    );
  const oldestScan = banner.dataset.oldestScan;
  const ttl = Number(banner.dataset.resultTtl);
  if (oldestScan && ttl > 0 && now - Date.parse(oldestScan) > ttl)
    reasons.push(
      `Some scan results are older than the result TTL (${formatSpan(ttl)}): the oldest is from ${formatRelative(oldestScan, now)}.`,
    );
  const text = banner.querySelector('[data-stale-text]');
  if (text) text.textContent = reasons.join(' ');
  banner.hidden = reasons.length === 0;
}
