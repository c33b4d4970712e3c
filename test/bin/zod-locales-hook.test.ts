import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const HOOK = pathToFileURL(path.join(PROJECT, 'pipeline/zod-locales-hook.mjs')).href;
/** Imports zod as the pipeline does and prints its locales and one parse error's message. */
const PROBE = `
import { z } from 'zod';
const result = z.object({ port: z.string() }).safeParse({ port: 80 });
console.log(JSON.stringify({ locales: Object.keys(z.locales), message: result.error.issues[0].message }));
`;

async function probe(execArgv: string[]) {
  const run = await execa(process.execPath, [...execArgv, '--input-type=module', '-e', PROBE], {
    cwd: PROJECT,
  });
  return JSON.parse(run.stdout) as { locales: string[]; message: string };
}

// zod's entry loads all of its locales; the CLI and its build processes load English alone.
describe("zod's locales hook", () => {
  it('leaves English alone in z.locales, and zod still speaks it', async () => {
    const hooked = await probe([`--import=${HOOK}`]);
    expect(hooked.locales).toEqual(['en']);
    expect(hooked.message).toBe('Invalid input: expected string, received number');
  });

  it('without it, zod loads every locale it ships (what the hook saves)', async () => {
    const plain = await probe([]);
    expect(plain.locales.length).toBeGreaterThan(40);
    expect(plain.locales).toContain('en');
    expect(plain.message).toBe('Invalid input: expected string, received number');
  });
});
