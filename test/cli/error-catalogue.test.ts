import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_PARTS } from '../../pipeline/errors/catalogue.ts';
import {
  DockpeekError,
  createError,
  type ErrorCode,
  type ErrorEntry,
} from '../../pipeline/errors.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRIES = Object.entries(ERRORS) as Array<[string, ErrorEntry<any>]>;
const CODES: ErrorCode[] = [
  'config_invalid',
  'usage',
  'db_corrupt',
  'db_unwritable',
  'no_snapshot',
  'build_failed',
  'locked',
  'site_dir_unsafe',
  'data_dir_unsafe',
  'scanner_unavailable',
];

/** The anchors of a Markdown page's headings, as GitHub makes them (fenced code skipped). */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(path.join(ROOT, file), 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (heading)
      anchors.add(
        heading[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      );
  }
  return anchors;
}

/** True when `docs/page.md#anchor` names a heading that exists. */
function anchorExists(docs: string): boolean {
  const [file, anchor] = docs.split('#');
  return anchorsOf(file!).has(anchor!);
}

describe('the error catalogue', () => {
  it('declares each name once across its parts', () => {
    const names = ERROR_PARTS.flatMap((part) => Object.keys(part));
    expect(names.length).toBe(new Set(names).size);
    expect(names.length).toBe(ENTRIES.length);
  });

  it.each(ENTRIES)('%s: a code, a title, a message, a hint and a docs section', (_, entry) => {
    expect(CODES).toContain(entry.code);
    expect(entry.title.trim()).not.toBe('');
    expect(typeof entry.message).toBe('function');
    // A hint is a sentence, or a function that writes one from the arguments.
    if (typeof entry.hint === 'string') expect(entry.hint.trim()).not.toBe('');
    else expect(typeof entry.hint).toBe('function');
    expect(entry.docs).toMatch(/^docs\/[\w-]+\.md#[\w-]+$/);
    expect(anchorExists(entry.docs), `${entry.docs} has no such heading`).toBe(true);
  });

  it.each(CODES)('%s has its section in docs/errors.md (the default docs of an error)', (code) => {
    const error = new DockpeekError(code, 'message');
    expect(error.docs).toBe(`docs/errors.md#${code}`);
    expect(anchorExists(error.docs)).toBe(true);
  });

  it('createError words the message and hint from the arguments and keeps the cause', () => {
    const cause = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const error = createError(
      ERRORS.dbUnwritable,
      { file: '/data/db.json', reason: cause.message },
      { cause },
    );
    expect(error).toBeInstanceOf(DockpeekError);
    expect(error.code).toBe('db_unwritable');
    expect(error.message).toBe('cannot write /data/db.json: EACCES: permission denied');
    expect(error.hint).toBe(ERRORS.dbUnwritable.hint);
    expect(error.docs).toBe('docs/errors.md#db_unwritable');
    expect(error.cause).toBe(cause);
    // No cause given: none set, so --verbose prints nothing under it.
    expect('cause' in createError(ERRORS.noSnapshot, { file: 'x' })).toBe(false);
  });

  it('a hint written from the arguments', () => {
    const holder = { command: 'refresh', pid: 42, host: 'nas', startedAt: 'now' };
    const held = (waited?: string) =>
      createError(ERRORS.lockHeld, { dataDir: '/data', holder, waited }).hint;
    expect(held()).toBe('Let it finish, or pass --wait to queue behind it.');
    expect(held('30 min')).toBe('It did not finish within 30 min.');
  });
});
