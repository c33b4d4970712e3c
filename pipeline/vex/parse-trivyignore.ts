import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from '../zod-issues.ts';
import { createLocator } from './locate.ts';
import { MAX_NODES, checkYamlShape } from './shape-limits.ts';
import { expandsTooFar, findDuplicateKey } from './yaml-guards.ts';
import { parsePurl } from './purl.ts';
import type { ImageSelector, RuleTarget, VexDocument, VexError, VexRule } from './rule.ts';
import { selectorFromReference } from './selectors.ts';
import { TrivyIgnoreSchema } from './trivyignore-schema.ts';

/** A date, or an RFC 3339 time. */
const WHEN = /^\d{4}-\d\d-\d\d([Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?)?$/;

/**
 * Rules from a .trivyignore.yaml text: one per `vulnerabilities:` entry. A bad document is one
 * coded error naming the file, the line and the field; none of its entries then apply.
 */
export function parseTrivyIgnore(file: string, text: string): VexDocument {
  // Bounded before the parser runs: its cost grows with nodes and nesting, not only with bytes.
  const shape = checkYamlShape(text);
  if (shape)
    return {
      ok: false,
      error: {
        file,
        code: 'too_complex',
        message: `${file}: line ${shape.line}: ${shape.message}${shape.message.startsWith('more than') ? '; split the rules into several files in a folder' : ''}`,
        line: shape.line,
      },
    };
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check is quadratic: checked below, in one pass.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const lineOf = createLocator(text, { doc, lineCounter });
  const fail = (
    code: VexError['code'],
    message: string,
    path?: PropertyKey[],
    key = false,
  ): VexDocument => {
    const line = path ? lineOf(path, key) : undefined;
    const field = path && path.length ? formatPath(path) : undefined;
    const where = [line && `line ${line}`, field].filter(Boolean).join(', ');
    const error = { file, code, message: `${file}${where ? `: ${where}` : ''}: ${message}` };
    return { ok: false, error: { ...error, ...(line && { line }), ...(field && { field }) } };
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line;
    const message = `${file}: line ${line ?? '?'}: ${syntax.message.split('\n')[0]}`;
    return { ok: false, error: { file, code: 'syntax_error', message, ...(line && { line }) } };
  }
  const duplicate = findDuplicateKey(doc);
  if (duplicate) {
    const line = lineCounter.linePos(duplicate.offset).line;
    const message = `${file}: line ${line}: Map keys must be unique (${JSON.stringify(duplicate.key)} again)`;
    return { ok: false, error: { file, code: 'syntax_error', message, line } };
  }
  if (expandsTooFar(doc))
    return fail(
      'too_complex',
      `more than ${MAX_NODES.toLocaleString('en')} entries once its aliases are expanded`,
    );
  // toJS stops alias expansion past 100 aliases: a "billion laughs" document fails here.
  let json: unknown;
  try {
    json = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return fail('syntax_error', (error as Error).message);
  }
  const parsed = TrivyIgnoreSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code !== 'unrecognized_keys') return fail('invalid', issue.message, issue.path);
    const known = issue.path.length
      ? 'id, paths, purls, statement, expired_at, images'
      : 'vulnerabilities, images, misconfigurations, secrets, licenses';
    return fail('invalid', `unknown key (known: ${known})`, [...issue.path, issue.keys[0]!], true);
  }
  const fileImages = parsed.data?.images;
  const rules: VexRule[] = [];
  const entries = parsed.data?.vulnerabilities ?? [];
  for (const [index, entry] of entries.entries()) {
    const at = (...rest: PropertyKey[]) => ['vulnerabilities', index, ...rest];
    const images = entry.images ?? fileImages;
    const selectors: Array<ImageSelector | null> = [];
    for (const [i, text] of (images ?? []).entries()) {
      const selector = selectorFromReference(text);
      const path = entry.images ? at('images', i) : ['images', i];
      if (!selector)
        return fail(
          'invalid',
          `${JSON.stringify(text)} is not an image reference or sha256 digest`,
          path,
        );
      selectors.push(selector);
    }
    for (const [i, purl] of (entry.purls ?? []).entries())
      if (!parsePurl(purl))
        return fail(
          'invalid',
          `${JSON.stringify(purl)} is not a package URL (pkg:type/name@version)`,
          at('purls', i),
        );
    let expiresAt: string | undefined;
    if (entry.expired_at !== undefined) {
      const raw =
        entry.expired_at instanceof Date ? entry.expired_at.toISOString() : entry.expired_at;
      const time = WHEN.test(raw) ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : NaN;
      if (Number.isNaN(time))
        return fail(
          'bad_date',
          `${JSON.stringify(raw)} is not a date (2026-05-31) or RFC 3339 time`,
          at('expired_at'),
        );
      expiresAt = new Date(time).toISOString();
    }
    const line = lineOf(at());
    const targets: RuleTarget[] = (selectors.length ? selectors : [null]).map((image) => ({
      image,
      purls: entry.purls ?? [],
    }));
    rules.push({
      id: `${file}#vulnerabilities[${index}]`,
      format: 'trivyignore',
      file,
      where: `vulnerabilities[${index}]${line ? ` (line ${line})` : ''}`,
      ...(line && { line }),
      vulnerability: entry.id,
      aliases: [],
      targets,
      paths: entry.paths ?? [],
      status: 'accepted',
      accepts: true,
      ...(entry.statement && { statement: entry.statement }),
      ...(expiresAt && { expiresAt }),
    });
  }
  return { ok: true, file, format: 'trivyignore', rules };
}
