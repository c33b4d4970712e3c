import { z } from 'zod';
import { createDataRecord } from './data-keys.ts';

/**
 * A record keyed by data (image keys and references, host names), parsed into an object without a
 * prototype. z.record drops a "__proto__" key and returns a plain object: an image referenced as
 * "__proto__" would lose its record at every read, one named "constructor" would find a record it
 * never had.
 */
export function dataRecord<T extends z.ZodType>(value: T) {
  return z.unknown().transform((input, ctx): Record<string, z.output<T>> => {
    if (!isPlainObject(input)) {
      ctx.addIssue({ code: 'invalid_type', expected: 'record', input });
      return z.NEVER;
    }
    const record = createDataRecord<z.output<T>>();
    for (const [key, raw] of Object.entries(input)) {
      const parsed = value.safeParse(raw);
      if (parsed.success) record[key] = parsed.data;
      else
        for (const issue of parsed.error.issues)
          ctx.addIssue({ ...issue, path: [key, ...issue.path] });
    }
    return record;
  });
}

/** An object literal or JSON object (or one without a prototype); not an array, a Map, a Date. */
function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null) return false;
  const prototype: unknown = Object.getPrototypeOf(input);
  return prototype === Object.prototype || prototype === null;
}
