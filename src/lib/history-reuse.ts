import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { imageKey } from '../../pipeline/scan/schema.ts';
import {
  FINGERPRINTS_FILE,
  pagePath,
  type HistoryPlanFile,
} from '../../pipeline/site/history-pages.ts';
import { loadHistory, type HistoryEntry } from './history-data.ts';
import { loadSiteData } from './site-data.ts';

/**
 * Which snapshot pages to render and which to take from the published release unchanged. A page
 * depends on its snapshot, the one before it, the findings files both still have, which of its
 * images have pages now, and the code that renders it; its fingerprint hashes exactly those. The
 * build (pipeline/site/history-pages.ts) passes the previous release and its fingerprints in, and
 * links the reused pages into the new release after Astro has rendered the others.
 */
export interface HistoryPlan extends HistoryPlanFile {
  render: Array<{ entry: HistoryEntry; previous?: HistoryEntry }>;
}

/** The inputs a build passes through the environment (see pipeline/site/history-pages.ts). */
export interface ReuseInputs {
  /** Hash of the code that renders pages; a new version renders everything again. */
  codeHash: string;
  /** The published release, and the fingerprints of its snapshot pages. */
  previousRelease?: string;
  previousFingerprints: Record<string, string>;
}

export function planHistoryPages(
  history: HistoryEntry[],
  linkable: Set<string>,
  inputs: ReuseInputs,
): HistoryPlan {
  const plan: HistoryPlan = { render: [], reuse: [], fingerprints: {} };
  history.forEach((entry, i) => {
    const previous = history[i - 1];
    // Which of this snapshot's images have a page now: the only links the page makes.
    const linked = [...new Set(entry.archive.containers.map((c) => imageKey(c)))]
      .filter((key) => linkable.has(key))
      .sort();
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          inputs.codeHash,
          linked,
          [entry, previous].map((e) => e && [e.id, e.fileStamp, [...e.findings.keys()].sort()]),
        ]),
      )
      .digest('hex');
    plan.fingerprints[entry.id] = fingerprint;
    const old = inputs.previousRelease && path.join(inputs.previousRelease, pagePath(entry.id));
    if (old && inputs.previousFingerprints[entry.id] === fingerprint && existsSync(old))
      plan.reuse.push(entry.id);
    else plan.render.push(previous ? { entry, previous } : { entry });
  });
  return plan;
}

let cached: Promise<HistoryPlan> | undefined;

/** This build's plan, from the environment `dockpeek-security build` sets; made once per build. */
export function loadHistoryPlan(): Promise<HistoryPlan> {
  cached ??= (async () => {
    const data = await loadSiteData();
    const env = process.env;
    const previousRelease = env.DOCKPEEK_PREVIOUS_RELEASE;
    const plan = planHistoryPages(await loadHistory(), linkableImages(data.snapshot.containers), {
      // Without a hash (a bare `astro build`), nothing is reused.
      codeHash: env.DOCKPEEK_CODE_HASH ?? String(Math.random()),
      ...(previousRelease && { previousRelease }),
      previousFingerprints: previousRelease ? readFingerprints(previousRelease) : {},
    });
    if (env.DOCKPEEK_HISTORY_PLAN)
      writeFileSync(
        env.DOCKPEEK_HISTORY_PLAN,
        JSON.stringify({
          reuse: plan.reuse,
          fingerprints: plan.fingerprints,
        } satisfies HistoryPlanFile),
      );
    return plan;
  })();
  return cached;
}

/** Only images in the current snapshot have pages to link to. */
export function linkableImages(containers: Parameters<typeof imageKey>[0][]): Set<string> {
  return new Set(containers.map((c) => imageKey(c)));
}

function readFingerprints(release: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path.join(release, FINGERPRINTS_FILE), 'utf8')) as Record<
      string,
      string
    >;
  } catch {
    return {};
  }
}
