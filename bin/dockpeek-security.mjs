#!/usr/bin/env node
// Entry point: guard the Node version first, then load the TypeScript CLI (Node 24 strips types).
import './check-node.mjs';

const { main } = await import('../pipeline/cli/main.ts');
process.exitCode = await main(process.argv);
