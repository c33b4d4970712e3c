// @ts-check
// zod's entry re-exports every locale zod ships (64 modules, `z.locales`), and loading them is
// half of what importing zod costs: ~50 of ~100 ms for every command that validates anything.
// Nothing here uses `z.locales`: zod's English messages come from `locales/en.js`, which its
// schemas import themselves. So in a process that imports this module first, that index exports
// English alone: a module hook, as a bundler is told to leave out a library's locales. Plain
// JavaScript, so the CLI's entry can load it before the first .ts file; build processes get it
// through --import (pipeline/site/build-site.ts).
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';

const LOCALES_INDEX = /\/node_modules\/zod\/v4\/locales\/index\.js$/;
const ENGLISH_ONLY = "export { default as en } from './en.js';\n";

registerHooks({
  load(url, context, nextLoad) {
    // Only where English sits beside it, as in zod 4; any other layout loads as zod ships it.
    if (LOCALES_INDEX.test(url) && existsSync(new URL('./en.js', url)))
      return { format: 'module', source: ENGLISH_ONLY, shortCircuit: true };
    return nextLoad(url, context);
  },
});
