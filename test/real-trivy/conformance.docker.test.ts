// The stand-in against the real Trivy: the same scenarios, run with both binaries, must end the
// same way — exit code, the failure code DockPeek gives the run (classify.ts), the words the
// product relies on, and for a scan that succeeds a report DockPeek reads. The stand-in stays
// only for what the real binary cannot be driven into (floods, hangs, crashes mid-output); where
// both can be driven, they must agree. Results go to test-artifacts/trivy-conformance.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../pipeline/scan/classify.ts';
import { JAVA_DB_MISSING } from '../../pipeline/scan/java-db.ts';
import { parseReport } from '../../pipeline/scan/parse-report.ts';
import { readVersion } from '../../pipeline/scan/prepare-trivy.ts';
import { waitFor } from '../helpers/dockerd.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';
import { STANDIN } from '../helpers/standin.ts';
import { CASES, REPORTS_DIR } from './cases.ts';
import { seedCache } from './db.ts';
import { startRealLab, type RealLab } from './lab.ts';
import {
  runTrivy,
  startSharedServer,
  startStallingDockerProxy,
  type SharedServer,
} from './processes.ts';
import { realTools } from './tools.ts';

const tools = realTools();
const byName = (name: string) => CASES.find((c) => c.name === name)!;
const ALPINE = byName('nuxt-app');
const JAR = byName('consumesafe');
const SLOW = 'dpk-real/slow-export:1';
const TOKEN = 'conformance-token';

interface Side {
  name: 'real' | 'stand-in';
  bin: string;
  env: Record<string, string>;
  /** A cache dir holding a DB. */
  cache: () => string;
  /** A Docker host whose export of SLOW hangs. */
  slowHost: string;
}

interface Outcome {
  exit: number;
  /** DockPeek's reading of it: "report" (a SchemaVersion 2 report it parses), or a failure code. */
  reading: string;
  /** Words the scenario expects in stderr, found or not. */
  says?: boolean;
}

interface Scenario {
  name: string;
  args: (side: Side) => string[];
  env?: (side: Side) => Record<string, string>;
  /** Words stderr must hold on both sides. */
  says?: string;
  /** Files in the working directory. */
  files?: Record<string, string>;
}

const scan = (side: Side, ref: string, extra: string[] = []) => [
  ...['image', '--format', 'json', '--quiet', '--scanners', 'vuln', '--timeout', '60s'],
  ...['--cache-dir', side.cache(), '--skip-db-update', '--cache-backend', 'memory'],
  ...extra,
  '--',
  ref,
];

describe.skipIf(!tools)('the stand-in conforms to the real Trivy', () => {
  let lab: RealLab;
  let server: SharedServer;
  let sides: Side[];
  const rows: string[] = [];
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    lab = await startRealLab(tools!, [ALPINE, JAR]);
    await lab.daemon.docker.getImage(ALPINE.ref).tag({ repo: 'dpk-real/slow-export', tag: '1' });
    const slow = await startStallingDockerProxy(
      lab.daemon.socket,
      /\/images\/get\?names=.*slow-export/,
    );
    stops.push(() => slow.close());
    server = await startSharedServer(tools!.trivy, {
      token: TOKEN,
      dbRepository: lab.dbRepository,
    });
    stops.push(() => server.stop());
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-conformance-'));
    const config = path.join(root, 'standin.json');
    writeFileSync(
      config,
      JSON.stringify({
        version: '0.74.0',
        reportsDir: REPORTS_DIR,
        serverToken: TOKEN,
        images: {
          [ALPINE.ref]: { report: 'tkpancamanunggal-nuxt', ms: 20 },
          [JAR.ref]: { report: 'consumesafe-amazonlinux2', ms: 20, jars: true },
          [SLOW]: { report: 'tkpancamanunggal-nuxt', ms: 600_000 },
        },
      }),
    );
    const fresh = (name: string) => () => mkdtempSync(path.join(root, `${name}-`));
    const realCache = () => {
      const dir = fresh('real-cache')();
      seedCache(dir, lab.dbDir);
      return dir;
    };
    // The stand-in's own DB, downloaded once as trivy would, then copied per scenario.
    const standinEnv = { DPK_STANDIN_CONFIG: config, HOME: root };
    const standinDb = fresh('standin-db')();
    await runTrivy(STANDIN, ['image', '--download-db-only', '--cache-dir', standinDb], {
      cwd: root,
      env: standinEnv,
    });
    sides = [
      {
        name: 'real',
        bin: tools!.trivy,
        env: { DOCKER_HOST: `unix://${lab.daemon.socket}`, HOME: root },
        cache: realCache,
        slowHost: slow.url,
      },
      {
        name: 'stand-in',
        bin: STANDIN,
        env: standinEnv,
        cache: () => {
          const dir = fresh('standin-cache')();
          seedCache(dir, path.join(standinDb, 'db'));
          return dir;
        },
        slowHost: slow.url,
      },
    ];
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await lab?.stop();
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(
      'test-artifacts/trivy-conformance.md',
      `# The stand-in against the real Trivy v0.74.0\n\n| scenario | real | stand-in |\n|---|---|---|\n${rows.join('\n')}\n`,
    );
  });

  async function outcome(side: Side, scenario: Scenario): Promise<Outcome> {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dpk-conformance-cwd-'));
    for (const [file, text] of Object.entries(scenario.files ?? {}))
      writeFileSync(path.join(cwd, file), text);
    const run = await runTrivy(side.bin, scenario.args(side), {
      cwd,
      env: { ...side.env, ...scenario.env?.(side) },
    });
    const stdout = String(run.stdout);
    const stderr = String(run.stderr);
    let reading: string;
    if (scenario.args(side)[0] === '--version')
      reading = `version ${readVersion(String(run.stdout)).version}`;
    else if (stdout.length) {
      const parsed = parseReport(Buffer.from(stdout));
      reading = parsed.ok
        ? `report${parsed.findings.length ? ' with findings' : ''}`
        : `invalid: ${parsed.message}`;
    } else reading = run.exitCode === 0 ? 'nothing' : classifyFailure(stderr, run.exitCode).code;
    return {
      exit: run.exitCode ?? -1,
      reading,
      ...(scenario.says && { says: stderr.includes(scenario.says) }),
    };
  }

  const SCENARIOS: Scenario[] = [
    { name: '`--version`', args: () => ['--version'] },
    { name: 'a scan that finds something', args: (s) => scan(s, ALPINE.ref) },
    {
      name: 'an image neither the daemon nor a registry has',
      args: (s) => [
        ...scan(s, 'dpk-real/none:1').slice(0, -2),
        '--image-src',
        'docker',
        '--',
        'dpk-real/none:1',
      ],
      says: 'unable to find the specified image',
    },
    {
      name: '`--skip-db-update` on an empty cache',
      args: () => [
        'image',
        '--quiet',
        '--skip-db-update',
        '--cache-dir',
        mkdtempSync(path.join(tmpdir(), 'dpk-empty-')),
        '--',
        ALPINE.ref,
      ],
      says: '--skip-db-update cannot be specified on the first run',
    },
    {
      name: 'a scan longer than `--timeout`',
      args: (s) => [...scan(s, SLOW)].map((a) => (a === '60s' ? '2s' : a)),
      env: (s) => ({ DOCKER_HOST: s.slowHost }),
      says: 'context deadline exceeded',
    },
    {
      name: 'a server that refuses the token',
      args: (s) => [
        'image',
        '--format',
        'json',
        '--quiet',
        '--server',
        server.url,
        '--cache-dir',
        s.cache(),
        '--',
        ALPINE.ref,
      ],
      env: () => ({ TRIVY_TOKEN: 'wrong' }),
      says: 'twirp error unauthenticated: invalid token',
    },
    {
      name: 'TRIVY_SERVER in the environment of `--download-db-only`',
      args: (s) => ['image', '--download-db-only', '--quiet', '--cache-dir', s.cache()],
      env: () => ({ TRIVY_SERVER: server.url }),
      says: 'could not parse reference',
    },
    {
      name: 'TRIVY_EXIT_CODE=5 with findings: exit 5, the report still printed',
      args: (s) => scan(s, ALPINE.ref),
      env: () => ({ TRIVY_EXIT_CODE: '5' }),
    },
    {
      name: 'a trivy.yaml in the working directory saying `exit-code: 3`',
      args: (s) => scan(s, ALPINE.ref),
      files: { 'trivy.yaml': 'exit-code: 3\n' },
    },
    {
      name: 'jars, `--skip-java-db-update` and no Java DB',
      args: (s) => scan(s, JAR.ref, ['--skip-java-db-update']),
      says: JAVA_DB_MISSING,
    },
    {
      name: '`--download-java-db-only` from a mirror that is down',
      args: (s) => ['image', '--download-java-db-only', '--quiet', '--cache-dir', s.cache()],
      env: (s): Record<string, string> =>
        s.name === 'real'
          ? { TRIVY_JAVA_DB_REPOSITORY: `127.0.0.1:${closedPort}/aquasec/trivy-java-db:1` }
          : { DPK_STANDIN_CONFIG: offlineConfig() },
      says: 'failed to download Java DB',
    },
  ];
  let closedPort = 0;
  const offlineConfig = () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-offline-')), 'c.json');
    writeFileSync(file, JSON.stringify({ version: '0.74.0', offline: true }));
    return file;
  };

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_, scenario) => {
    closedPort ||= await findClosedPort();
    const [real, standin] = [
      await outcome(sides[0]!, scenario),
      await outcome(sides[1]!, scenario),
    ];
    rows.push(
      `| ${scenario.name} | exit ${real.exit}, ${real.reading} | exit ${standin.exit}, ${standin.reading} |`,
    );
    expect(standin).toEqual(real);
    if (scenario.says) expect(real.says, scenario.says).toBe(true);
  });

  it('a second `trivy server` on the same cache gives up after 5 s; SIGTERM ends a server with 0', async () => {
    for (const side of sides) {
      const cache = side.cache();
      const start = (port: number) =>
        spawn(
          side.bin,
          ['server', '--listen', `127.0.0.1:${port}`, '--cache-dir', cache, '--skip-db-update'],
          {
            env: { PATH: process.env.PATH ?? '', ...side.env },
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
      const firstPort = await findClosedPort();
      const first = start(firstPort);
      // The first holds the cache's lock from before it listens until it ends.
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${firstPort}/healthz`)).ok,
        60_000,
        `${side.name}: the first server did not start`,
      );
      const second = start(await findClosedPort());
      let stderr = '';
      second.stderr.on('data', (d) => (stderr += String(d)));
      const started = Date.now();
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      const waited = Date.now() - started;
      rows.push(
        `| second server on one cache (${side.name}) | exit ${code} after ${(waited / 1000).toFixed(1)} s | |`,
      );
      expect(code, side.name).toBe(1);
      expect(stderr, side.name).toContain(
        'server cache error: unable to initialize fs cache: cache may be in use by another process: timeout',
      );
      expect(waited, side.name).toBeGreaterThanOrEqual(4500);
      first.kill('SIGTERM');
      const firstCode = await new Promise<number | null>((resolve) => first.once('exit', resolve));
      expect(firstCode, side.name).toBe(0);
    }
  });
});
