// The building blocks of the streaming report reader: a Frame is an open object or array whose
// children are read, a Slot says what the value starting at one position must be.
import { z } from 'zod';

export type Scalar = string | number | boolean | null;
export type Key = string | number;
export type Fields = Record<string, unknown>;

/** What the value starting at a position must be, and what to do with it. */
export interface Slot {
  key: Key;
  /** For the error message when the value is of another kind. */
  schema: z.ZodType;
  object?: () => Frame;
  array?: () => Frame;
  /** Without it, a scalar is only checked against `schema`. */
  scalar?: (value: Scalar) => void;
}

/** An open object or array whose children we read; `child` undefined means skip that value. */
export interface Frame {
  path: Key[];
  isArray: boolean;
  next: number;
  child(key: Key): Slot | undefined;
  end?(): void;
}

/** Helpers shared by the frames of one read; the first failure is the one kept. */
export function createFrameKit() {
  let failure: string | undefined;
  const fail = (schema: z.ZodType, value: unknown, path: Key[]): void => {
    const parsed = schema.safeParse(value);
    if (parsed.success || failure !== undefined) return;
    const issues = parsed.error.issues.map((i) => ({ ...i, path: [...path, ...i.path] }));
    failure = z.prettifyError(new z.ZodError(issues));
  };
  return {
    failure: (): string | undefined => failure,
    fail,
    /** Validate collected fields: the data, or undefined with the failure noted. */
    check<T extends z.ZodType>(schema: T, value: unknown, path: Key[]): z.infer<T> | undefined {
      const parsed = schema.safeParse(value);
      if (!parsed.success) fail(schema, value, path);
      return parsed.success ? (parsed.data as z.infer<T>) : undefined;
    },
    frame(path: Key[], isArray: boolean, child: Frame['child'], end?: () => void): Frame {
      return { path, isArray, next: 0, child, ...(end && { end }) };
    },
    /** A slot that stores a scalar under its key (validated later, with the object). */
    store(fields: Fields, shape: Record<string, z.ZodType>, key: Key): Slot {
      return { key, schema: shape[key]!, scalar: (value) => (fields[key] = value) };
    },
    /** Whether a key names a field of `shape` (own keys only: "__proto__" is not one). */
    has: (shape: object, key: Key): boolean => Object.hasOwn(shape, key),
  };
}

export type FrameKit = ReturnType<typeof createFrameKit>;
