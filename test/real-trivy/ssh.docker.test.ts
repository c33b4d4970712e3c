// An ssh:// host with the real Trivy (audit point 10): Trivy cannot dial ssh itself (it drops the
// Docker CLI's ssh helper), so DockPeek gives it a private local socket carried over its own ssh
// connection. A real sshd whose key may only run `docker system dial-stdio` against the lab.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { makeKey, startSshd, type TestSshd } from '../helpers/sshd.ts';
import { CASES } from './cases.ts';
import { expectedFindings } from './expected.ts';
import { startRealLab, type RealLab } from './lab.ts';
import { readStored } from './stored.ts';
import { realTools } from './tools.ts';

const tools = realTools();

describe.skipIf(!tools)('the real Trivy on an ssh:// host', () => {
  let lab: RealLab;
  let sshd: TestSshd;
  let env: Record<string, string>;
  beforeAll(async () => {
    lab = await startRealLab(tools!, [CASES.find((c) => c.name === 'prometheus-mcp')!]);
    const root = mkdtempSync('/tmp/dpk-real-ssh-');
    const key = makeKey(root, 'client');
    const forced = `command="docker -H unix://${lab.daemon.socket} system dial-stdio",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding`;
    sshd = await startSshd(path.join(root, 'sshd'), [`${forced} ${key.pub}`]);
    const knownHosts = path.join(root, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`);
    env = {
      ...lab.env(root),
      DOCKER_HOST: `ssh://root@127.0.0.1:${sshd.port}`,
      DOCKER_HOST_NAME: 'nas',
      DOCKPEEK_SSH_KEY: key.file,
      DOCKPEEK_SSH_KNOWN_HOSTS: knownHosts,
    };
  });
  afterAll(async () => {
    await sshd?.stop();
    await lab?.stop();
  });

  it("scans the host's images through DockPeek's ssh connection, findings exact", async () => {
    const snapshot = await runCli(['snapshot'], env);
    expect(snapshot.exitCode, snapshot.stderr).toBe(0);
    const run = await runCli(['scan'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const stored = readStored(env.DOCKPEEK_DATA_DIR!);
    expect(stored.get('prometheus-mcp')?.findings).toEqual(expectedFindings(lab.carried[0]!));
    // The image came from the host's daemon, over ssh: a channel per connection trivy opened.
    const accepted = execFileSync('grep', ['-c', 'Accepted publickey', sshd.log]).toString();
    expect(Number(accepted)).toBeGreaterThanOrEqual(2);
  });
});
