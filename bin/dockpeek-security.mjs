#!/usr/bin/env node
// Entry point: guard the Node version, leave zod's unused locales out, turn on the compile cache,
// then load the TypeScript CLI (Node 24 strips types). All plain JavaScript, so they run before
// any .ts file loads.
import './check-node.mjs';
import '../pipeline/zod-locales-hook.mjs';
import { enableCompileCache } from './compile-cache.mjs';

enableCompileCache(process.env);
// A reader that stops early (`refresh --help | head`, `export | head -1`) closes the pipe: stop
// writing and end quietly, as Unix tools do, instead of crashing on the unhandled EPIPE.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
const { main } = await import('../pipeline/cli/main.ts');
process.exitCode = await main(process.argv);
