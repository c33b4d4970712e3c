import { writeFileSync } from 'node:fs';
import { startLab } from './lib/lab.ts';
const lab = await startLab(10);
await lab.growTo(220);
writeFileSync('/tmp/kx/lab-socket', lab.daemon.socket);
console.log('ready', lab.daemon.socket);
process.on('SIGTERM', async () => { await lab.daemon.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
