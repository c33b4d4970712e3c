// The containers table's fleet-wide search by CVE id and package (the index, search.ts): looked
// up as the query is typed, and readied in idle time once loaded so the first lookup is not slow.
import {
  describeHit,
  loadIndex,
  loadedIndex,
  lookUp,
  type SearchHit,
  type SearchIndex,
} from './search.ts';

/** Where the client script was loaded from: the search index sits beside it. */
const SCRIPT_SRC = (document.currentScript as HTMLScriptElement | null)?.src ?? '';

export class TableSearch {
  /** What the index found for the current query. */
  hit: SearchHit | undefined;
  private hitFor = '';
  /** Called when the index arrives after a query it answers was typed. */
  private readonly late: () => void;

  constructor(late: () => void) {
    this.late = late;
  }

  /**
   * Look the query up in the index and say what it found in `note`. Loaded, it answers at once;
   * still loading (a key typed before the box's focus loaded it), `late` runs when it arrives.
   */
  lookUp(q: string, note: HTMLElement | null): void {
    if (q === this.hitFor) return;
    this.hitFor = q;
    this.hit = undefined;
    if (q.length >= 2 && SCRIPT_SRC) {
      const index = loadedIndex();
      if (index) this.hit = lookUp(index, q);
      else
        void this.load().then((loaded) => {
          if (!loaded || this.hitFor !== q || !lookUp(loaded, q)) return;
          this.hitFor = '';
          this.late();
        });
    }
    if (note) describeHit(note, this.hit, q, SCRIPT_SRC);
  }

  /** Load the index (once), and build its lookup tables in idle time, off the first keystroke. */
  async load(): Promise<SearchIndex | undefined> {
    if (!SCRIPT_SRC) return undefined;
    const index = await loadIndex(new URL('search-index.js', SCRIPT_SRC).href);
    const idle =
      window.requestIdleCallback?.bind(window) ?? ((work: () => void) => setTimeout(work, 1));
    if (index) idle(() => lookUp(index, '\u0000\u0000'));
    return index;
  }
}
