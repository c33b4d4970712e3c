// Loaded with `node --import` into a CLI run: writes the URL of every module the process loaded
// to $DPK_MODULE_LOG when it exits, for tests of what a command loads (test/cli/lazy-loading).
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded: string[] = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  if (process.env.DPK_MODULE_LOG) writeFileSync(process.env.DPK_MODULE_LOG, loaded.join('\n'));
});
