import { COMMAND_ERRORS } from './command-errors.ts';
import { CONFIG_ERRORS } from './config-errors.ts';
import { SOURCE_ERRORS } from './source-errors.ts';
import { NOTIFY_ERRORS } from './notify-errors.ts';
import { SITE_ERRORS } from './site-errors.ts';
import { STORE_ERRORS } from './store-errors.ts';

/**
 * Every error the pipeline throws, by name: `throw createError(ERRORS.noSnapshot, { file })`.
 * Each entry has its code, a title, a message from typed arguments, a hint and a docs anchor
 * (test/cli/error-catalogue.test.ts checks every anchor against docs/).
 */
export const ERRORS = {
  ...CONFIG_ERRORS,
  ...SOURCE_ERRORS,
  ...NOTIFY_ERRORS,
  ...STORE_ERRORS,
  ...SITE_ERRORS,
  ...COMMAND_ERRORS,
};

/** The parts, for the test that no name is given twice (a spread would hide it). */
export const ERROR_PARTS = [
  CONFIG_ERRORS,
  SOURCE_ERRORS,
  NOTIFY_ERRORS,
  STORE_ERRORS,
  SITE_ERRORS,
  COMMAND_ERRORS,
];
