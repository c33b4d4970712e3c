import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { escapeUnsafe, plainBlock, plainText } from '../safe-text.ts';
import { parseOpenVex } from './parse-openvex.ts';
import { parseTrivyIgnore } from './parse-trivyignore.ts';
import { readVexFile } from './read-vex-file.ts';
import type { VexError, VexRule } from './rule.ts';

/** Every rule of the configured documents, the documents read, and those rejected. */
export interface VexRules {
  rules: VexRule[];
  files: Array<{ file: string; format: VexRule['format']; rules: number }>;
  errors: VexError[];
}

const FORMATS: Record<string, VexRule['format']> = {
  '.yaml': 'trivyignore',
  '.yml': 'trivyignore',
  '.json': 'openvex',
};

/**
 * Read the rules of `paths` (files, or folders whose *.yaml, *.yml and *.json files are read, in
 * name order), each file capped at `maxBytes`. Never throws: a bad document is an error entry
 * and its rules are left out; the others still apply.
 */
export async function loadVexRules(paths: readonly string[], maxBytes: number): Promise<VexRules> {
  const result: VexRules = { rules: [], files: [], errors: [] };
  const files: string[] = [];
  for (const entry of paths) {
    const info = await stat(entry).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      result.errors.push({
        file: entry,
        code: 'unreadable',
        message: `${entry}: cannot read (${info.code ?? info.message})`,
      });
      continue;
    }
    if (!info.isDirectory()) files.push(entry);
    else {
      const names = await readdir(entry).catch(() => [] as string[]);
      for (const name of names.sort())
        if (FORMATS[path.extname(name).toLowerCase()]) files.push(path.join(entry, name));
    }
  }
  for (const file of files) {
    const format = FORMATS[path.extname(file).toLowerCase()];
    if (!format) {
      const message = `${file}: neither .yaml/.yml (.trivyignore.yaml) nor .json (OpenVEX)`;
      result.errors.push({ file, code: 'unknown_format', message });
      continue;
    }
    const read = await readVexFile(file, maxBytes);
    const doc = !read.ok
      ? read
      : format === 'openvex'
        ? parseOpenVex(file, read.text)
        : parseTrivyIgnore(file, read.text);
    if (!doc.ok) result.errors.push(doc.error);
    else {
      result.rules.push(...doc.rules.map(cleanRule));
      result.files.push({ file, format, rules: doc.rules.length });
    }
  }
  // Messages quote the documents, which may come from a vendor: cleaned like all outside text.
  result.errors = result.errors.map((e) => ({ ...e, message: plainText(e.message) }));
  return result;
}

/**
 * What pages show of a rule, cleaned (safe-text.ts): the statement keeps its lines; ids are
 * escaped as finding ids are (scan/finding.ts), so a rule still matches exactly what it names.
 */
function cleanRule(rule: VexRule): VexRule {
  return {
    ...rule,
    vulnerability: escapeUnsafe(rule.vulnerability),
    aliases: rule.aliases.map(escapeUnsafe),
    ...(rule.statement && { statement: plainBlock(rule.statement) }),
  };
}
