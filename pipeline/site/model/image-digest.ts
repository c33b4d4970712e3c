import { compareFindings, type MarkedFinding } from './findings.ts';

/** At most this many findings are kept for one image page; the findings file keeps all. */
export const MAX_FINDINGS_PER_PAGE = 1000;

/**
 * What the pages need of one image's findings, gathered while they stream past: the most
 * important ones for its page, how many there are, and its CVE ids by severity. Memory is bounded
 * by the page size, not by the report.
 */
export interface ImageDigest {
  top: MarkedFinding[];
  total: number;
  ids: Map<string, Set<string>>;
}

/** A digest that findings are added to one at a time. */
export function createDigest(limit = MAX_FINDINGS_PER_PAGE) {
  const digest: ImageDigest = { top: [], total: 0, ids: new Map() };
  return {
    digest,
    add(f: MarkedFinding): void {
      digest.total += 1;
      if (!digest.ids.has(f.severity)) digest.ids.set(f.severity, new Set());
      digest.ids.get(f.severity)!.add(f.id);
      const top = digest.top;
      if (top.length >= limit && compareFindings(f, top.at(-1)!) >= 0) return;
      // Binary insertion keeps the list sorted; a full list drops its least important finding.
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareFindings(top[mid]!, f) <= 0) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, withoutDescription(f));
      if (top.length > limit) top.pop();
    },
  };
}

/** Image pages show no description: do not keep up to 8 KiB of it per row. */
function withoutDescription(f: MarkedFinding): MarkedFinding {
  if (!f.description && !f.references) return f;
  const { description: _d, references: _r, ...rest } = f;
  return rest;
}
