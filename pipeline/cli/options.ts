import { Option, type Command, type OptionValues } from 'commander';
import type { FlagsOf, OptionSpec } from '../config/option-types.ts';

/** Reads a command's parsed options as its flags, named as in its record of options. */
export type FlagReader<S> = (parsed: OptionValues) => FlagsOf<S>;

/**
 * Add a record of options (config/option-table.ts, or the command's own) to a commander command,
 * in the record's order; returns the reader of their values, typed from the record.
 */
export function addOptions<const S extends Record<string, OptionSpec<any>>>(
  command: Command,
  specs: S,
): FlagReader<S> {
  const names: Array<[key: string, attribute: string]> = [];
  for (const [key, spec] of Object.entries(specs)) {
    const added = new Option(spec.flags, spec.help);
    if (spec.choices) added.choices(spec.choices);
    if (spec.parse) added.argParser(spec.parse);
    if (spec.default !== undefined) added.default(spec.default);
    command.addOption(added);
    // Commander names a value after its long flag (--workers: workers); the record may not.
    names.push([key, added.attributeName()]);
  }
  return (parsed) =>
    Object.fromEntries(
      names.flatMap(([key, attribute]) =>
        parsed[attribute] === undefined ? [] : [[key, parsed[attribute]]],
      ),
    ) as FlagsOf<S>;
}
