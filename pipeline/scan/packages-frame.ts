// A Result's Packages (present with --list-all-pkgs), read from tokens for one thing only: the
// source package of each (SrcName), so that a search for "openssl" finds libssl1.1. Read
// leniently, as readFindings does with PackageSchema: an entry that does not fit is skipped.
import type { Fields, Frame, FrameKit, Key, Slot } from './report-frames.ts';
import { MAX_SOURCES, PackageSchema, sourceNames } from './trivy-report.ts';

const KEPT = new Set(['ID', 'SrcName']);

/** Frames for the Packages array at `path`; `sources()` once the Result ends. */
export function createPackagesFrame(kit: FrameKit, path: Key[]) {
  const entries: Fields[] = [];
  // Any value not read is skipped whole: objects and arrays open a frame that keeps nothing.
  const skip = (key: Key, at: Key[]): Slot => ({
    key,
    schema: PackageSchema,
    scalar: () => {},
    object: () => kit.frame([...at, key], false, () => undefined),
    array: () => kit.frame([...at, key], true, () => undefined),
  });
  const keep = (fields: Fields, key: Key, at: Key[]): Slot => ({
    ...skip(key, at),
    scalar: (value) => (fields[key] = value),
  });
  const entry = (i: Key): Slot => {
    const at = [...path, i];
    if (entries.length >= MAX_SOURCES) return skip(i, path);
    return {
      ...skip(i, path),
      object: (): Frame => {
        const fields: Fields = {};
        entries.push(fields);
        return kit.frame(at, false, (key) => {
          if (KEPT.has(String(key))) return keep(fields, key, at);
          if (key !== 'Identifier') return undefined;
          const identifier: Fields = {};
          fields.Identifier = identifier;
          return {
            ...skip(key, at),
            object: () =>
              kit.frame([...at, key], false, (k) =>
                k === 'UID' ? keep(identifier, k, [...at, key]) : undefined,
              ),
          };
        });
      },
    };
  };
  return {
    /** The slot of the Packages key: an array of entries, anything else skipped. */
    slot: (key: Key): Slot => ({
      ...skip(key, path.slice(0, -1)),
      array: () => kit.frame(path, true, entry),
    }),
    sources: () => sourceNames(entries),
  };
}
