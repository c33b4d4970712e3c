#!/usr/bin/env node
// Entry point: guard the Node version, turn on the compile cache, then load the TypeScript CLI
// (Node 24 strips types). Both guards are plain JavaScript so they run before any .ts file loads.
import './check-node.mjs';
import { enableCompileCache } from './compile-cache.mjs';

enableCompileCache(process.env);
const { main } = await import('../pipeline/cli/main.ts');
process.exitCode = await main(process.argv);
