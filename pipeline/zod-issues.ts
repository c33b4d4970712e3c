import type { z } from 'zod';
import { escapeUnsafe } from './safe-text.ts';

/** The first issues of a zod error as `vulnerabilities[12].cveID is not a CVE id; …`. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const issues = error.issues.slice(0, limit).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const more = error.issues.length - limit;
  return issues.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A zod path as a field reference: `statements[2].products[0]["@id"]`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part))
      out += out ? `.${part}` : part;
    // A key from a hostile document: JSON escapes its C0 controls, escapeUnsafe the rest.
    else out += `[${escapeUnsafe(JSON.stringify(String(part)))}]`;
  }
  return out || '(document)';
}
