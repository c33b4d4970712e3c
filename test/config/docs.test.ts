import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, describeRange, type Setting } from '../../pipeline/config/settings.ts';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8');

/** The table row of docs/configuration.md that names a variable or a flag. */
function rowOf(name: string): string | undefined {
  return DOC.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${name}\``));
}

describe('docs/configuration.md documents every setting as the code declares it', () => {
  it.each(Object.entries(SETTINGS) as Array<[string, Setting]>)('%s', (_, setting) => {
    const row = rowOf(setting.env ?? setting.flag!);
    expect(row, `no row for ${setting.env ?? setting.flag}`).toBeDefined();
    if (setting.env && setting.flag) expect(row).toContain(`\`${setting.flag}\``);
    expect(row).toContain(`\`${setting.default}\``);
    // "a duration from 1s to 1d" is written "1s to 1d" in the table, "a folder" "folder".
    expect(row).toContain(
      describeRange(setting).replace(/^a ((duration|size|whole number) from )?/, ''),
    );
  });
});
