import { z } from 'zod';
import { compareFindings, toFinding, type Finding } from './finding.ts';
import type { JsonHandler } from './json-tokenizer.ts';
import {
  CvssSchema,
  OsSchema,
  PkgIdentifierSchema,
  ReportHeaderSchema,
  ResultHeaderSchema,
  TrivyReportSchema,
  VulnerabilityFieldsSchema,
  VulnerabilitySchema,
  foldCvss,
} from './trivy-report.ts';

// Reads a Trivy report from tokens, keeping only what findings need: each vulnerability is
// assembled from its kept fields alone, validated with zod, turned into a compact finding and
// dropped. Fields we do not keep are skipped unread (the tokenizer only checks their syntax).

type Scalar = string | number | boolean | null;
type Key = string | number;
type Fields = Record<string, unknown>;

/** What the value starting at a position must be, and what to do with it. */
interface Slot {
  key: Key;
  /** For the error message when the value is of another kind. */
  schema: z.ZodType;
  object?: () => Frame;
  array?: () => Frame;
  /** Without it, a scalar is only checked against `schema`. */
  scalar?: (value: Scalar) => void;
}

/** An open object or array whose children we read. */
interface Frame {
  path: Key[];
  isArray: boolean;
  next: number;
  child(key: Key): Slot | undefined;
  end?(): void;
}

/** The image's OS as stored on the scan record. */
export interface ImageOs {
  family: string;
  name: string;
  eosl: boolean;
}

export type ReadOutcome =
  { ok: true; findings: Finding[]; os?: ImageOs } | { ok: false; message: string };

// Built once: constructing a zod schema costs more than validating with it.
const REFERENCE = z.string();
const VULNERABILITIES = z.array(VulnerabilitySchema).nullish();
const SCALAR_FIELDS = new Set(Object.keys(VulnerabilityFieldsSchema.shape));
const fieldSchema = (shape: Record<string, z.ZodType>, key: Key) => shape[key] as z.ZodType;

/** A token handler that reads one report; `outcome()` once the tokens are done. */
export function createReportReader(): JsonHandler & { outcome(): ReadOutcome } {
  let failure: string | undefined;
  const findings: Finding[] = [];
  let os: ImageOs | undefined;
  let schemaVersion = false;
  let rootSeen = false;
  const stack: Frame[] = [];
  let pendingKey = '';
  let slot: Slot | undefined;
  const keep = createInterner();

  const fail = (schema: z.ZodType, value: unknown, path: Key[]) => {
    const parsed = schema.safeParse(value);
    if (parsed.success || failure) return;
    const issues = parsed.error.issues.map((i) => ({ ...i, path: [...path, ...i.path] }));
    failure = z.prettifyError(new z.ZodError(issues));
  };
  /** Validate collected fields; the data on success, undefined (and the failure noted) otherwise. */
  const check = <T extends z.ZodType>(schema: T, value: unknown, path: Key[]) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) fail(schema, value, path);
    return parsed.success ? (parsed.data as z.infer<T>) : undefined;
  };
  const frame = (path: Key[], isArray: boolean, child: Frame['child'], end?: () => void) => ({
    path,
    isArray,
    next: 0,
    child,
    ...(end && { end }),
  });
  const store = (fields: Fields, shape: Record<string, z.ZodType>, key: Key): Slot => ({
    key,
    schema: fieldSchema(shape, key),
    scalar: (value) => (fields[key] = value),
  });

  const osFrame = (path: Key[]) => {
    const fields: Fields = {};
    return frame(
      path,
      false,
      (key) =>
        Object.hasOwn(OsSchema.shape, key) ? store(fields, OsSchema.shape, key) : undefined,
      () => {
        const data = check(OsSchema, fields, path);
        if (data) os = { family: data.Family, name: data.Name, eosl: data.EOSL ?? false };
      },
    );
  };

  const vulnerabilityFrame = (path: Key[], result: { target: string; findings: Finding[] }) => {
    const fields: Fields = {};
    const scores: Array<z.infer<typeof CvssSchema>> = [];
    const references: string[] = [];
    const cvssEntry = (source: Key): Slot => ({
      key: source,
      schema: CvssSchema,
      object: () => {
        const entry: Fields = {};
        const entryPath = [...path, 'CVSS', source];
        return frame(
          entryPath,
          false,
          (key) =>
            Object.hasOwn(CvssSchema.shape, key) ? store(entry, CvssSchema.shape, key) : undefined,
          () => {
            const data = check(CvssSchema, entry, entryPath);
            if (data) scores.push(data);
          },
        );
      },
    });
    const shape = VulnerabilitySchema.shape;
    return frame(
      path,
      false,
      (key) => {
        if (key === 'CVSS') {
          return {
            key,
            schema: shape.CVSS,
            // zod's record drops a "__proto__" key too: the same scores either way.
            object: () =>
              frame([...path, 'CVSS'], false, (s) =>
                s === '__proto__' ? undefined : cvssEntry(s),
              ),
          };
        }
        if (key === 'References') {
          return {
            key,
            schema: shape.References,
            array: () =>
              frame([...path, key], true, (i) => ({
                key: i,
                schema: REFERENCE,
                scalar: (value) => {
                  if (typeof value !== 'string') fail(REFERENCE, value, [...path, key, i]);
                  else references.push(value);
                },
              })),
          };
        }
        if (key === 'PkgIdentifier') {
          const identifier: Fields = {};
          fields.PkgIdentifier = identifier;
          return {
            key,
            schema: PkgIdentifierSchema,
            object: () =>
              frame([...path, key], false, (k) =>
                k === 'PURL' ? store(identifier, PkgIdentifierSchema.shape, k) : undefined,
              ),
          };
        }
        return SCALAR_FIELDS.has(String(key)) ? store(fields, shape, key) : undefined;
      },
      () => {
        if (references.length) fields.References = references;
        const data = check(VulnerabilityFieldsSchema, fields, path);
        if (data) result.findings.push(keep.finding(toFinding(data, foldCvss(scores), '')));
      },
    );
  };

  const resultFrame = (index: number) => {
    const path = ['Results', index];
    const fields: Fields = {};
    const result = { target: '', findings: [] as Finding[] };
    return frame(
      path,
      false,
      (key) => {
        if (key !== 'Vulnerabilities')
          return Object.hasOwn(ResultHeaderSchema.shape, key)
            ? store(fields, ResultHeaderSchema.shape, key)
            : undefined;
        return {
          key,
          schema: VULNERABILITIES,
          array: () =>
            frame([...path, key], true, (i) => ({
              key: i,
              schema: VulnerabilitySchema,
              object: () => vulnerabilityFrame([...path, key, i], result),
            })),
        };
      },
      () => {
        // Target may come after Vulnerabilities: the findings get it when the Result ends.
        const data = check(ResultHeaderSchema, fields, path);
        const target = keep.text(data?.Target ?? '');
        for (const f of result.findings) findings.push({ ...f, target });
      },
    );
  };

  const header = ReportHeaderSchema.shape;
  const reportFrame = frame(
    [],
    false,
    (key) => {
      if (key === 'SchemaVersion')
        return {
          key,
          schema: header.SchemaVersion,
          scalar: (value) => {
            schemaVersion = true;
            fail(header.SchemaVersion, value, [key]);
          },
        };
      if (key === 'ArtifactName') return { key, schema: header.ArtifactName };
      if (key === 'Metadata')
        return {
          key,
          schema: header.Metadata,
          object: () =>
            frame([key], false, (k) =>
              k === 'OS'
                ? { key: k, schema: OsSchema.nullish(), object: () => osFrame([key, k]) }
                : undefined,
            ),
        };
      if (key === 'Results')
        return {
          key,
          schema: TrivyReportSchema.shape.Results,
          array: () =>
            frame([key], true, (i) => ({
              key: i,
              schema: ResultHeaderSchema,
              object: () => resultFrame(i as number),
            })),
        };
      return undefined;
    },
    () => {
      if (!schemaVersion) fail(header.SchemaVersion, undefined, ['SchemaVersion']);
    },
  );

  const parentPath = () => stack.at(-1)?.path ?? [];
  const pathOf = (s: Slot) => (stack.length ? [...parentPath(), s.key] : []);
  return {
    startValue() {
      if (failure !== undefined) return false;
      const top = stack.at(-1);
      if (!top) {
        if (rootSeen) return false;
        rootSeen = true;
        slot = { key: '', schema: TrivyReportSchema, object: () => reportFrame };
        return true;
      }
      slot = top.child(top.isArray ? top.next++ : pendingKey);
      return slot !== undefined;
    },
    key(name) {
      pendingKey = name;
    },
    openObject() {
      if (failure !== undefined || !slot) return;
      if (slot.object) stack.push(slot.object());
      else fail(slot.schema, {}, pathOf(slot));
    },
    openArray() {
      if (failure !== undefined || !slot) return;
      if (slot.array) stack.push(slot.array());
      else fail(slot.schema, [], pathOf(slot));
    },
    close() {
      if (failure !== undefined) return;
      stack.pop()?.end?.();
    },
    scalar(value) {
      if (failure !== undefined || !slot) return;
      if (slot.scalar) slot.scalar(value);
      else fail(slot.schema, value, pathOf(slot));
    },
    outcome() {
      if (failure !== undefined) return { ok: false, message: failure };
      return { ok: true, findings: findings.sort(compareFindings), ...(os && { os }) };
    },
  };
}

const SHARED_FIELDS = [
  'id',
  'pkg',
  'installed',
  'fixed',
  'status',
  'title',
  'description',
  'url',
  'published',
  'purl',
  'pkgPath',
] as const;

/**
 * Reports repeat descriptions, titles, URLs and reference lists across packages and targets: the
 * findings kept share one copy of each (a list is looked up once, not entry by entry).
 */
function createInterner() {
  const texts = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const text = (value: string) => {
    const known = texts.get(value);
    if (known !== undefined) return known;
    texts.set(value, value);
    return value;
  };
  return {
    text,
    finding(f: Finding): Finding {
      for (const field of SHARED_FIELDS) {
        const value = f[field];
        if (value !== undefined) f[field] = text(value);
      }
      if (f.references) {
        const key = f.references.join('\n');
        const known = lists.get(key);
        if (known) f.references = known;
        else lists.set(key, f.references);
      }
      return f;
    },
  };
}
