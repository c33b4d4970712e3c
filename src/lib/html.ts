// Markup built in TypeScript, for the one place where Astro's per-component cost is too high
// (the containers table: 1,000 rows on each of 365 snapshot pages). Every interpolated value is
// escaped unless it is itself markup made here, so a hostile container name stays text.

/** Markup made by `safeHtml`: inserted as is. Anything else is escaped. */
export class Markup {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Value = Markup | string | number | boolean | null | undefined | Value[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: Value): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose values are escaped; null, undefined and false render nothing. */
export function safeHtml(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Markup(out);
}

/** Attributes in order, each escaped; undefined, null and false leave the attribute out. */
export function attrs(list: Record<string, string | number | boolean | null | undefined>): Markup {
  let out = '';
  for (const [name, value] of Object.entries(list)) {
    if (value === undefined || value === null || value === false) continue;
    // A bare name for true and for '' (as Astro writes them).
    out += value === true || value === '' ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new Markup(out);
}
