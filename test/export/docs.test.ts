import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ExportSchema } from '../../pipeline/export/schema.ts';
import { FINDING_COLUMNS } from '../../pipeline/export/write-findings.ts';

/** Every field path of a zod schema: `a`, `a[]`, `a[].b`, optional and nullable unwrapped. */
export function fieldPaths(schema: z.ZodType, prefix = ''): string[] {
  let inner: z.ZodType = schema;
  while (
    inner instanceof z.ZodOptional ||
    inner instanceof z.ZodNullable ||
    inner instanceof z.ZodDefault
  )
    inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodArray) {
    const element = `${prefix}[]`;
    const nested = fieldPaths(inner.element as z.ZodType, element);
    return nested.length ? [element, ...nested] : [];
  }
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => {
      const name = prefix ? `${prefix}.${key}` : key;
      return [name, ...fieldPaths(value, name)];
    });
  }
  return [];
}

describe('docs/export.md', () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/export.md'), 'utf8');
  // The container export's tables come before "## Findings", which documents export --findings.
  const [containersPart, findingsPart = ''] = doc.split('\n## Findings\n');
  const rowsOf = (text: string) => [...text.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]!);
  const documented = rowsOf(containersPart!);

  it('documents exactly the columns of export --findings', () => {
    expect(rowsOf(findingsPart).sort()).toEqual([...FINDING_COLUMNS].sort());
  });

  it('documents exactly the fields of the export schema', () => {
    const all = fieldPaths(ExportSchema);
    // An array is documented by its element row (`hosts[]`).
    const fields = all.filter((f) => !all.includes(`${f}[]`));
    expect(fields.length).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...new Set(fields)].sort());
  });
});
