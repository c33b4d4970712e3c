// Start the test daemon with the homelab and keep it up until Ctrl-C, for trying the CLI by hand:
//   npm run lab   →   DOCKER_HOST=unix://<printed socket> npx dockpeek-security snapshot
import { mkdtempSync } from 'node:fs';
import { startDockerd } from './dockerd.ts';
import { createHomelab } from './homelab.ts';

const daemon = await startDockerd(mkdtempSync('/tmp/dpk-lab-'));
await createHomelab(daemon.docker, daemon.dir);
process.stdout.write(`homelab ready: DOCKER_HOST=unix://${daemon.socket}\n`);
const stop = async () => {
  await daemon.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
