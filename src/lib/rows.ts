import type { Security } from '../../pipeline/site/model/index.ts';

/** The filter value of a stack: `s:<name>`, or `none` for containers without one. */
export function stackKey(stack: string | null): string {
  return stack === null ? 'none' : `s:${stack}`;
}

/** How a stack is shown. */
export function stackLabel(stack: string | null): string {
  return stack ?? '(no stack)';
}

/** The filter's scan state of a row: a scanned image splits into clean and vulnerable. */
export function stateOf(security: Security): string {
  if (security.state === 'scanned') return security.clean ? 'clean' : 'vulnerable';
  return security.state;
}
