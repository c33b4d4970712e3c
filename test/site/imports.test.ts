import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The site renders one validated model: src/ imports only types, and only from the model's entry
// module. Anything else (the store, archives, findings files, export code) stays in pipeline/.
const SRC = path.resolve(import.meta.dirname, '../../src');
const ENTRY = path.resolve(import.meta.dirname, '../../pipeline/site/model/index.ts');
const PIPELINE = path.resolve(import.meta.dirname, '../../pipeline');

/** Every import or export-from statement of a source file: its text and specifier. */
export function importsOf(text: string): Array<{ statement: string; specifier: string }> {
  const found: Array<{ statement: string; specifier: string }> = [];
  const statics =
    /(?:^|[;\n])\s*((?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"])/g;
  for (const m of text.matchAll(statics))
    found.push({ statement: m[1]!.replace(/\s+/g, ' '), specifier: (m[2] ?? m[3])! });
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ statement: m[0], specifier: m[1]! });
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs|astro)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('src/ imports from pipeline/ only types of the model entry module', () => {
  it('finds imports the way the check needs (the check can fail)', () => {
    expect(importsOf(`import a from '../x.ts';\nimport type { B } from "../y.ts";`)).toEqual([
      { statement: "import a from '../x.ts'", specifier: '../x.ts' },
      { statement: 'import type { B } from "../y.ts"', specifier: '../y.ts' },
    ]);
    expect(importsOf(`const m = await import('../z.ts');`)[0]?.specifier).toBe('../z.ts');
  });

  const offending: string[] = [];
  const modules = new Set<string>();
  for (const file of sources(SRC)) {
    for (const { statement, specifier } of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(`${PIPELINE}${path.sep}`)) continue;
      modules.add(path.relative(PIPELINE, target));
      // A declaration file holds types only: its import() is a type query.
      const typeOnly = file.endsWith('.d.ts') || /^(import|export) type\b/.test(statement);
      if (target !== ENTRY || !typeOnly)
        offending.push(`${path.relative(SRC, file)}: ${statement}`);
    }
  }

  it('has no other import into pipeline/', () => {
    expect(offending).toEqual([]);
    expect([...modules]).toEqual(['site/model/index.ts']);
  });
});
