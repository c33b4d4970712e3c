import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, readTree, runCli } from '../helpers/cli.ts';
import { writeFleet, type FleetImage } from '../helpers/fleet.ts';
import { STANDIN, isScan, readInvocations } from '../helpers/standin.ts';

// What trivy's command line carries: every scan ends with `-- REF`, so no reference is read as an
// option, and the server token is never on it (any local user can read argv in ps or /proc).

const FLEET: FleetImage[] = [
  { ref: 'nginx:1.27.3', behaviour: { report: 'debian-buster', ms: 10 }, on: { server: 1 } },
  { ref: 'redis:7.4.1', behaviour: { report: 'centos-7', ms: 10 }, on: { nas: 1 } },
];
const token = () => `tok-${Math.random().toString(36).slice(2)}`;

function setup(fleet: FleetImage[], extra: Record<string, unknown> = {}) {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  const env: Record<string, string> = {
    DOCKPEEK_DATA_DIR: dataDir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    DPK_STANDIN_CONFIG: writeFleet(dataDir, extra, fleet),
    HOME: dataDir,
  };
  return { dataDir, log, env };
}

describe('trivy command lines', () => {
  it.each([
    ['memory cache (≥ 0.68)', {}, { TRIVY_SCAN_STRATEGY: 'memory' }],
    ['per-worker caches (< 0.68)', { version: '0.65.0' }, { TRIVY_SCAN_STRATEGY: 'memory' }],
    ['server mode', {}, { TRIVY_SERVER: 'http://127.0.0.1:4954' }],
  ] as const)('%s: every scan ends with `-- REF`, no token in any argv', async (_m, extra, env) => {
    const secret = token();
    const t = setup(FLEET, { ...extra, serverToken: secret });
    const run = await runCli(['scan'], { ...t.env, ...env, TRIVY_TOKEN: secret });
    expect(run.exitCode, run.stderr).toBe(0);
    const calls = readInvocations(t.log);
    const scans = calls.filter(isScan);
    expect(scans.map((s) => s.argv.slice(-2)).sort()).toEqual([
      ['--', 'nginx:1.27.3'],
      ['--', 'redis:7.4.1'],
    ]);
    for (const call of calls) expect(call.argv.join(' ')).not.toContain(secret);
    // The token reaches trivy only where it is used: the scans of server mode.
    const server = 'TRIVY_SERVER' in env;
    for (const call of calls) expect(call.tokenFrom).toBe(server && isScan(call) ? 'env' : null);
  });

  it('server mode: the running trivy has the token in /proc/<pid>/environ, not in /proc/<pid>/cmdline', async () => {
    const secret = token();
    const t = setup(
      [
        {
          ref: 'slow/image:1',
          behaviour: { report: 'debian-buster', ms: 60_000 },
          on: { server: 1 },
        },
      ],
      { serverToken: secret },
    );
    const child = execa(process.execPath, [path.resolve('bin/dockpeek-security.mjs'), 'scan'], {
      env: {
        PATH: process.env.PATH!,
        ...t.env,
        TRIVY_SERVER: 'http://127.0.0.1:4954',
        TRIVY_TOKEN: secret,
        TRIVY_SCAN_TIMEOUT: '100s',
      },
      extendEnv: false,
      reject: false,
    });
    // The product records each running trivy's pid; wait until that process runs the stand-in
    // (before exec it is still a copy of the worker, with the worker's environment).
    const running = path.join(t.dataDir, '.trivy-running');
    const proc = (pid: string, file: string) => {
      try {
        return readFileSync(`/proc/${pid}/${file}`, 'utf8');
      } catch {
        return '';
      }
    };
    let pid = '';
    while (!pid) {
      const found = existsSync(running) ? readdirSync(running) : [];
      pid = found.find((p) => proc(p, 'cmdline').includes('slow/image:1')) ?? '';
      if (!pid) await new Promise((r) => setTimeout(r, 20));
    }
    const cmdline = proc(pid, 'cmdline').split('\0').filter(Boolean);
    const environ = proc(pid, 'environ').split('\0');
    child.kill('SIGTERM');
    const result = await child;

    expect(cmdline).toContain(STANDIN);
    // --cache-dir in client mode only says where the Java DB is: the layer cache is the server's.
    expect(cmdline.slice(-6)).toEqual([
      '--server',
      'http://127.0.0.1:4954',
      '--cache-dir',
      path.join(t.dataDir, 'trivy-cache'),
      '--',
      'slow/image:1',
    ]);
    expect(cmdline.join(' ')).not.toContain(secret);
    expect(cmdline).not.toContain('--token');
    expect(environ).toContain(`TRIVY_TOKEN=${secret}`);
    // Stopped by SIGTERM: exit 143, the image put back, and the token nowhere in what was written.
    expect(result.exitCode).toBe(143);
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(t.dataDir, 'db.json'), 'utf8')));
    expect(db.scans).toEqual({});
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    for (const { file, text } of readTree(t.dataDir))
      if (!file.endsWith('trivy-standin.json')) expect(text, file).not.toContain(secret);
  });
});
