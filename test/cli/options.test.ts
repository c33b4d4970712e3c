import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COMMANDS } from '../../pipeline/cli/command-table.ts';
import { addOptions } from '../../pipeline/cli/options.ts';
import {
  OPTIONS,
  SETTING_OPTIONS,
  pickOptions,
  type ScanFlags,
  type SnapshotFlags,
} from '../../pipeline/config/option-table.ts';
import { option } from '../../pipeline/config/option-types.ts';
import {
  SETTINGS,
  helpFor,
  readOptionalValue,
  type AnySetting,
} from '../../pipeline/config/settings.ts';
import type { RefreshFlags } from '../../pipeline/cli/commands/refresh.ts';

const FLAGGED = (Object.entries(SETTINGS) as Array<[string, AnySetting]>).filter(
  ([, setting]) => setting.flag,
);

/** Every command as the CLI defines it, with the options it declared. */
async function definedCommands(): Promise<Array<{ name: string; command: Command }>> {
  return Promise.all(
    COMMANDS.map(async (entry) => {
      const command = new Command(entry.name);
      (await entry.load()).defineCommand(command, () => {});
      return { name: entry.name, command };
    }),
  );
}

describe('options generated from the setting table', () => {
  it.each(FLAGGED)('%s: one option, with its flag, placeholder and help', (key, setting) => {
    const generated = SETTING_OPTIONS[key as keyof typeof SETTING_OPTIONS];
    expect(generated.flags).toMatch(new RegExp(`^${setting.flag} (<\\w+>|\\[\\w+\\])$`));
    expect(generated.flags.startsWith('[', setting.flag!.length + 1)).toBe(
      Boolean(setting.valueOptional),
    );
    expect(generated.help).toBe(helpFor(setting));
  });

  it('generates an option for every setting with a flag, and for no other', () => {
    expect(Object.keys(SETTING_OPTIONS).sort()).toEqual(FLAGGED.map(([key]) => key).sort());
  });

  it('declares each flag once in the whole table', () => {
    const longs = Object.values(OPTIONS).map((o) => /--[\w-]+/.exec(o.flags)![0]);
    expect(longs.length).toBe(new Set(longs).size);
  });

  it('every command: each flag once, a setting flag with the help its row gives', async () => {
    const byFlag = new Map(FLAGGED.map(([, setting]) => [setting.flag!, setting]));
    for (const { name, command } of await definedCommands()) {
      const longs = command.options.map((o) => o.long!);
      expect(longs.length, name).toBe(new Set(longs).size);
      for (const declared of command.options) {
        const setting = byFlag.get(declared.long!);
        if (setting)
          expect(declared.description, `${name} ${declared.long}`).toBe(helpFor(setting));
      }
    }
  });

  it('--data-dir: one declaration, one help text, on every command but demo', async () => {
    const helps = new Set<string>();
    for (const { name, command } of await definedCommands()) {
      const dataDir = command.options.filter((o) => o.long === '--data-dir');
      expect(dataDir.length, name).toBe(name === 'demo' ? 0 : 1);
      for (const o of dataDir) helps.add(o.description);
    }
    expect([...helps]).toEqual([helpFor(SETTINGS.dataDir)]);
  });
});

describe('addOptions', () => {
  const parse = (args: string[]) => {
    const command = new Command('x').exitOverride();
    const read = addOptions(command, {
      ...pickOptions('dataDir', 'scanWorkers', 'wait', 'quiet', 'from'),
      updates: option('--no-updates', 'skip the update check'),
      format: option('--format <f>', 'format', { choices: ['json', 'csv'], default: 'json' }),
      count: option('--count <n>', 'count', { parse: Number, default: 7 }),
    });
    command.parse(args, { from: 'user' });
    return read(command.opts());
  };

  it('reads values under the names of the record, not of the flags', () => {
    expect(parse(['--data-dir', 'd', '--workers', '4', '--wait', '-q'])).toEqual({
      dataDir: 'd',
      scanWorkers: '4',
      wait: true,
      quiet: true,
      updates: true,
      format: 'json',
      count: 7,
    });
    expect(parse(['--wait', '5m', '--from', 'a', 'b', '--no-updates', '--count', '3'])).toEqual({
      wait: '5m',
      from: ['a', 'b'],
      updates: false,
      format: 'json',
      count: 3,
    });
  });

  it('types each value from its option', () => {
    const read = addOptions(new Command(), {
      ...pickOptions('dataDir', 'wait', 'quiet', 'from'),
      updates: option('--no-updates', 'skip'),
      format: option('--format <f>', 'format', { choices: ['json', 'csv'], default: 'json' }),
      count: option('--count <n>', 'count', { parse: Number, default: 7 }),
    });
    type Flags = ReturnType<typeof read>;
    expectTypeOf<Flags['dataDir']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Flags['wait']>().toEqualTypeOf<string | true | undefined>();
    expectTypeOf<Flags['quiet']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Flags['from']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Flags['updates']>().toEqualTypeOf<boolean>();
    expectTypeOf<Flags['format']>().toEqualTypeOf<'json' | 'csv'>();
    expectTypeOf<Flags['count']>().toEqualTypeOf<number>();
    expectTypeOf<SnapshotFlags['dockerTimeout']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ScanFlags['force']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RefreshFlags['every']>().toEqualTypeOf<string | true | undefined>();
  });
});

describe('a flag that may stand alone', () => {
  it.each([
    [undefined, undefined],
    [false, undefined],
    [true, 30 * 60_000],
    ['90s', 90_000],
  ])('--every %j: %j ms', (flag, ms) => {
    expect(readOptionalValue(SETTINGS.every, flag)).toBe(ms);
  });
});
