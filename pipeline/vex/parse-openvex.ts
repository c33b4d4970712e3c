import { formatPath } from '../zod-issues.ts';
import { createJsonLocator, jsonErrorLine } from './json-locate.ts';
import { OpenVexSchema } from './openvex-schema.ts';
import { parsePurl } from './purl.ts';
import {
  VEX_STATUSES,
  type RuleTarget,
  type VexDocument,
  type VexError,
  type VexRule,
} from './rule.ts';
import { selectorFromImagePurl } from './selectors.ts';
import { checkJsonNesting } from './shape-limits.ts';

/**
 * Rules from an OpenVEX JSON text: one per statement. A bad document is one coded error naming the
 * file and the field (with its line); none of its statements then apply.
 */
export function parseOpenVex(file: string, text: string): VexDocument {
  const nesting = checkJsonNesting(text);
  if (nesting)
    return {
      ok: false,
      error: {
        file,
        code: 'too_complex',
        message: `${file}: line ${nesting.line}: ${nesting.message}`,
        line: nesting.line,
      },
    };
  const lineOf = createJsonLocator(text);
  const fail = (code: VexError['code'], message: string, path: PropertyKey[]): VexDocument => {
    const line = lineOf(path);
    const field = path.length ? formatPath(path) : undefined;
    const where = [line && `line ${line}`, field].filter(Boolean).join(', ');
    const error = { file, code, message: `${file}${where ? `: ${where}` : ''}: ${message}` };
    return { ok: false, error: { ...error, ...(line && { line }), ...(field && { field }) } };
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const line = jsonErrorLine(text, message);
    const where = line ? `line ${line}: ` : '';
    return {
      ok: false,
      error: {
        file,
        code: 'syntax_error',
        message: `${file}: ${where}${message}`,
        ...(line && { line }),
      },
    };
  }
  const parsed = OpenVexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail('invalid', issue.message, issue.path);
  }
  const documentTime = parsed.data.timestamp;
  if (Number.isNaN(Date.parse(documentTime)))
    return fail('bad_date', `${JSON.stringify(documentTime)} is not an RFC 3339 time`, [
      'timestamp',
    ]);
  const rules: VexRule[] = [];
  for (const [index, statement] of parsed.data.statements.entries()) {
    const at = (...rest: PropertyKey[]) => ['statements', index, ...rest];
    const status = statement.status as (typeof VEX_STATUSES)[number];
    if (!VEX_STATUSES.includes(status))
      return fail(
        'unknown_status',
        `${JSON.stringify(statement.status)} is not one of ${VEX_STATUSES.join(', ')}`,
        at('status'),
      );
    if (status === 'not_affected' && !statement.justification && !statement.impact_statement)
      return fail(
        'invalid',
        'not_affected needs a justification or an impact_statement',
        at('status'),
      );
    const timestamp = statement.timestamp ?? documentTime;
    if (Number.isNaN(Date.parse(timestamp)))
      return fail(
        'bad_date',
        `${JSON.stringify(timestamp)} is not an RFC 3339 time`,
        at('timestamp'),
      );
    const targets: RuleTarget[] = [];
    for (const [p, product] of statement.products.entries()) {
      const image = selectorFromImagePurl(product['@id']);
      const subs = (product.subcomponents ?? []).map((s) => s['@id']);
      const bad = [product['@id'], ...subs].findIndex((id) => !parsePurl(id));
      if (bad !== -1 || image === null) {
        const path =
          bad > 0 ? at('products', p, 'subcomponents', bad - 1, '@id') : at('products', p, '@id');
        const id = bad > 0 ? subs[bad - 1] : product['@id'];
        return fail(
          'invalid',
          `${JSON.stringify(id)} is not a package URL DockPeek can match (pkg:oci/…, pkg:docker/…, pkg:deb/…)`,
          path,
        );
      }
      // An image product narrows to its subcomponents; a package product is that package anywhere.
      targets.push(image ? { image, purls: subs } : { image: null, purls: [product['@id']] });
    }
    const vuln = statement.vulnerability;
    const line = lineOf(at());
    const words =
      statement.impact_statement ?? statement.status_notes ?? statement.action_statement;
    rules.push({
      id: `${file}#statements[${index}]`,
      format: 'openvex',
      file,
      where: `statements[${index}]${line ? ` (line ${line})` : ''}`,
      ...(line && { line }),
      vulnerability: typeof vuln === 'string' ? vuln : vuln.name,
      aliases: typeof vuln === 'string' ? [] : (vuln.aliases ?? []),
      targets,
      paths: [],
      status,
      accepts: status === 'not_affected' || status === 'fixed',
      ...(statement.justification && { justification: statement.justification }),
      ...(words && { statement: words }),
      timestamp: new Date(Date.parse(timestamp)).toISOString(),
    });
  }
  return { ok: true, file, format: 'openvex', rules };
}
