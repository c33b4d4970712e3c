// The type of a command-line option, declared once: its flags, help and parser say what its value
// is, and the flags object of a command is inferred from its options (as commander's
// extra-typings and citty's defineCommand infer theirs), so no hand-written flags type can drift.

declare const VALUE: unique symbol;
declare const ALWAYS: unique symbol;

/** One option: commander's flags and help, and how its text becomes its value. */
export interface OptionSpec<V = unknown, Always extends boolean = boolean> {
  /** As commander writes them: `-q, --quiet`, `--data-dir <dir>`, `--wait [duration]`, `--from <file...>`. */
  flags: string;
  help: string;
  /** Turns the text given into the value, or throws a DockpeekError (usage). */
  parse?: (text: string) => V;
  /** The value when the flag is absent. */
  default?: V;
  /** The only values allowed (commander says which, for any other). */
  choices?: readonly string[];
  /** Type only: the value. */
  readonly [VALUE]?: V;
  /** Type only: whether the value is always there (a default, or `--no-x`). */
  readonly [ALWAYS]?: Always;
}

/** The value commander gives for these flags: a list, a string, a string or `true`, a switch. */
export type ValueOfFlags<F extends string> = F extends `${string}...${string}`
  ? string[]
  : F extends `${string}<${string}>${string}`
    ? string
    : F extends `${string}[${string}]${string}`
      ? string | true
      : boolean;

/** `--no-updates` is true unless given. */
type IsNegated<F extends string> = F extends `${string}--no-${string}` ? true : false;

/** An option whose value type is read from its flags (extra-typings style). */
export function option<const F extends string>(
  flags: F,
  help: string,
): OptionSpec<ValueOfFlags<F>, IsNegated<F>>;
/** An option limited to `choices`, with the default used when it is absent. */
export function option<const C extends readonly string[]>(
  flags: string,
  help: string,
  extra: { choices: C; default: C[number] },
): OptionSpec<C[number], true>;
/** An option whose text `parse` turns into its value, with the default used when it is absent. */
export function option<V>(
  flags: string,
  help: string,
  extra: { parse: (text: string) => V; default: V },
): OptionSpec<V, true>;
export function option(flags: string, help: string, extra: object = {}): OptionSpec {
  return { flags, help, ...extra };
}

type ValueOf<O> = O extends OptionSpec<infer V, boolean> ? V : never;
type AlwaysKeys<S> = {
  [K in keyof S]: S[K] extends OptionSpec<unknown, true> ? K : never;
}[keyof S];

/** The parsed flags of a record of options: optional unless the option always has a value. */
export type FlagsOf<S> = { [K in Exclude<keyof S, AlwaysKeys<S>>]?: ValueOf<S[K]> } & {
  [K in AlwaysKeys<S>]: ValueOf<S[K]>;
};
