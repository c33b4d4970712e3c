// A CVE page changes only when its CVE does, an image page only when its image does, but every
// build changes their shell: the header with the data's ages and the banners, the same on every
// such page of one build. So a build renders only the pages whose entry in the model changed; each
// other one is the published release's copy with this build's shell put in place of the old one,
// which is byte for byte what rendering it gives (test/site/history-reuse.test.ts compares them).
// A daily refresh then renders a few pages where it rendered ~1,000.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writevSync } from 'node:fs';
import path from 'node:path';

/** The renderer's page that is only the shell of CVE and image pages (src/pages/shell.astro); never published. */
export const SHELL_ROUTE = '/shell';
const SHELL_START = Buffer.from('<header class="site"');
const SHELL_END = Buffer.from('<main');

/** What a release records of a CVE or image page it wrote, for the next build. */
export interface ShellPage {
  /** Hash of the code and of the model entry the page shows. */
  fingerprint: string;
  /** Where its shell is: byte offset and length. */
  shell: [number, number];
}

/** A page is the same, shell aside, while the code and its model entry are. */
export function pageFingerprint(codeHash: string, entry: unknown): string {
  return createHash('sha256').update(codeHash).update(JSON.stringify(entry)).digest('hex');
}

/**
 * The shell in the renderer's shell page: from the header to the main element. Only trusted markup
 * follows it there (an empty main and the script tag), so the last `<main` is the element.
 */
export function shellOf(shellPage: Uint8Array): Buffer {
  const page = Buffer.from(shellPage.buffer, shellPage.byteOffset, shellPage.byteLength);
  const start = page.indexOf(SHELL_START);
  const end = page.lastIndexOf(SHELL_END);
  if (start < 0 || end < start) throw new Error(`the renderer's ${SHELL_ROUTE} page has no shell`);
  return Buffer.from(page.subarray(start, end));
}

/**
 * Where `shell` is in a page just rendered: at its header, which only the head (the escaped title
 * and the styles) precedes. None when the page does not carry this build's shell there: it is then
 * not reused.
 */
export function locateShell(page: Uint8Array, shell: Buffer): [number, number] | undefined {
  const bytes = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const at = bytes.indexOf(SHELL_START);
  if (at < 0 || !bytes.subarray(at, at + shell.length).equals(shell)) return undefined;
  return [at, shell.length];
}

/** Whether a shell starts at `at` in `page` and ends `length` bytes later, at the main element. */
export function fitsShell(page: Buffer, at: number, length: number): boolean {
  return (
    page.subarray(at, at + SHELL_START.length).equals(SHELL_START) &&
    page.subarray(at + length, at + length + SHELL_END.length).equals(SHELL_END)
  );
}

/** A page that carries the shell: `folder/slug.html`, made from one entry of the model. */
export interface ShellCandidate {
  folder: 'cves' | 'images';
  slug: string;
  entry: unknown;
}

/** Where a shell page lives in a release. */
export function shellPageFile(page: { folder: string; slug: string }): string {
  return path.join(page.folder, `${page.slug}.html`);
}

export interface ShellReuse {
  /** The pages to render. */
  render: ShellCandidate[];
  /** How many pages of each folder were made from the published release's copy. */
  reused: Record<ShellCandidate['folder'], number>;
  /** What this release records of each page, by file; rendered pages add theirs (recordRendered). */
  records: Record<string, ShellPage>;
  /** Each page's fingerprint by file, for the rendered ones. */
  fingerprints: Map<string, string>;
}

/**
 * Write into `outDir` every page the published release has with the same fingerprint, with this
 * build's shell; return the others, to render. A page whose copy is missing or does not fit its
 * record is rendered.
 */
export function reuseShellPages(options: {
  pages: ShellCandidate[];
  codeHash: string;
  shell: Buffer;
  outDir: string;
  previousRelease?: string;
  previous: Record<string, ShellPage>;
}): ShellReuse {
  const reuse: ShellReuse = {
    render: [],
    reused: { cves: 0, images: 0 },
    records: {},
    fingerprints: new Map(),
  };
  for (const folder of new Set(options.pages.map((page) => page.folder)))
    mkdirSync(path.join(options.outDir, folder), { recursive: true });
  const copier = createCopier(options.shell);
  for (const page of options.pages) {
    const file = shellPageFile(page);
    const fingerprint = pageFingerprint(options.codeHash, page.entry);
    reuse.fingerprints.set(file, fingerprint);
    const old = options.previous[file];
    const copied =
      options.previousRelease !== undefined &&
      old?.fingerprint === fingerprint &&
      copier.copy(
        path.join(options.previousRelease, file),
        old.shell,
        path.join(options.outDir, file),
      );
    if (!copied) {
      reuse.render.push(page);
      continue;
    }
    reuse.records[file] = { fingerprint, shell: [old.shell[0], options.shell.length] };
    reuse.reused[page.folder] += 1;
  }
  return reuse;
}

/**
 * Copies published pages with `shell` in place of their own, through one reused buffer and
 * synchronously: a build copies ~1,000 pages here with nothing else to do meanwhile, and a fresh
 * buffer per page, or async reads, cost several times more (~0.4 ms a page against ~0.08).
 */
function createCopier(shell: Buffer) {
  let buffer = Buffer.allocUnsafe(1 << 20);
  const read = (file: string): number => {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
      let done = 0;
      for (let n = -1; done < size && n !== 0; done += n)
        n = readSync(fd, buffer, done, size - done, done);
      return done;
    } finally {
      closeSync(fd);
    }
  };
  return {
    /** False when the copy is missing or does not fit its record: the page is rendered instead. */
    copy(from: string, [at, length]: [number, number], to: string): boolean {
      let size: number;
      try {
        size = read(from);
      } catch {
        return false;
      }
      const page = buffer.subarray(0, size);
      if (!fitsShell(page, at, length)) return false;
      const fd = openSync(to, 'w');
      try {
        writevSync(fd, [page.subarray(0, at), shell, page.subarray(at + length)]);
      } finally {
        closeSync(fd);
      }
      return true;
    },
  };
}

/** Record a page just rendered, when it carries this build's shell (else it is not reused). */
export function recordRendered(reuse: ShellReuse, file: string, page: Uint8Array, shell: Buffer) {
  const fingerprint = reuse.fingerprints.get(file);
  const at = locateShell(page, shell);
  if (fingerprint && at) reuse.records[file] = { fingerprint, shell: at };
}
