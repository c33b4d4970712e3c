// The real Trivy v0.74.0, end to end: `refresh` against real images (built from six real reports)
// with a vulnerability DB made by Trivy's own builder from the same reports' advisories, served by
// a real registry as an air-gapped mirror would. In all three ways DockPeek can scan — its private
// server, memory mode, a shared `trivy server` with a token — each image must get exactly the
// findings its report lists, with the end-of-life mark of Trivy's own table, KEV marks and an
// accepted-risk rule applied, while the run's environment and working directory try to change
// what Trivy reports (audit points 1-3 of issue 24).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { expectedEosl } from './cases.ts';
import { seedCache } from './db.ts';
import { expectedFindings } from './expected.ts';
import { startRealLab, type RealLab } from './lab.ts';
import {
  runTrivy,
  startRecordingHttpProxy,
  startSharedServer,
  type SharedServer,
} from './processes.ts';
import { compareRow, readStored } from './stored.ts';
import { realTools } from './tools.ts';

const tools = realTools();
const KEV = new Set(
  (
    JSON.parse(
      readFileSync(
        path.resolve(import.meta.dirname, '../fixtures/feeds/known_exploited_vulnerabilities.json'),
        'utf8',
      ),
    ) as { vulnerabilities: Array<{ cveID: string }> }
  ).vulnerabilities.map((v) => v.cveID),
);
const ACCEPTED = 'CVE-2023-4863';
const TOKEN = 'shared-server-token-9f3c';

/** Everything in a user's shell and folder that would change what Trivy reports. */
function hostileSetup(root: string, proxy: string) {
  const cwd = path.join(root, 'cwd');
  mkdirSync(cwd, { recursive: true });
  writeFileSync(
    path.join(cwd, 'trivy.yaml'),
    'exit-code: 5\nseverity:\n  - CRITICAL\nvulnerability:\n  ignore-unfixed: true\n',
  );
  writeFileSync(path.join(cwd, '.trivyignore'), `${ACCEPTED}\nCVE-2020-15999\n`);
  const env = {
    TRIVY_EXIT_CODE: '4',
    TRIVY_EXIT_ON_EOL: '3',
    TRIVY_SEVERITY: 'HIGH,CRITICAL',
    TRIVY_IGNORE_UNFIXED: 'true',
    TRIVY_SCANNERS: 'secret',
    TRIVY_SERVER: 'http://127.0.0.1:1',
    // Where trivy would tell check.trivy.dev about itself: a proxy that records it.
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
  };
  return { cwd, env };
}

describe.skipIf(!tools)('the real Trivy, end to end', () => {
  let lab: RealLab;
  let proxy: Awaited<ReturnType<typeof startRecordingHttpProxy>>;
  let shared: SharedServer;
  const rows: string[] = [];

  beforeAll(async () => {
    lab = await startRealLab(tools!);
    proxy = await startRecordingHttpProxy();
    shared = await startSharedServer(tools!.trivy, {
      token: TOKEN,
      dbRepository: lab.dbRepository,
    });
  });
  afterAll(async () => {
    await shared?.stop();
    await proxy?.close();
    await lab?.stop();
    if (rows.length) {
      const ids = lab.carried.map((c) => {
        const list = [...new Set(expectedFindings(c).map((f) => f.id))].sort();
        return `- ${c.image.name} (${c.image.report}): ${list.join(' ')}`;
      });
      mkdirSync('test-artifacts', { recursive: true });
      writeFileSync(
        'test-artifacts/real-trivy-findings.md',
        `# Expected and found findings, real Trivy\n\n| strategy / image | expected | found | missing | extra |\n|---|---|---|---|---|\n${rows.join('\n')}\n\nThe ids each image must have, from its report (found: the same, where missing and extra are 0):\n\n${ids.join('\n')}\n`,
      );
    }
  });

  it('control: run as is, trivy obeys that environment and folder and calls check.trivy.dev', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-control-'));
    const hostile = hostileSetup(root, proxy.url);
    seedCache(path.join(root, 'cache'), lab.dbDir);
    proxy.requests.length = 0;
    const nginx = lab.carried.find((c) => c.image.name === 'nginx-old')!;
    const run = await runTrivy(
      tools!.trivy,
      [
        ...['image', '--format', 'json', '--quiet', '--scanners', 'vuln', '--image-src', 'docker'],
        ...[
          '--cache-dir',
          path.join(root, 'cache'),
          '--skip-db-update',
          '--cache-backend',
          'memory',
        ],
        nginx.image.ref,
      ],
      {
        cwd: hostile.cwd,
        env: {
          ...hostile.env,
          TRIVY_SERVER: '',
          DOCKER_HOST: `unix://${lab.daemon.socket}`,
          HOME: root,
        },
      },
    );
    // End of life wins (exit 3), the report is cut down, and the version check went out.
    expect(run.exitCode, String(run.stderr)).toBe(3);
    const report = JSON.parse(String(run.stdout)) as {
      Results: Array<{ Vulnerabilities?: Array<{ VulnerabilityID: string }> }>;
    };
    const ids = report.Results.flatMap((r) => r.Vulnerabilities ?? []).map(
      (v) => v.VulnerabilityID,
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(expectedFindings(nginx).length);
    expect(ids).not.toContain(ACCEPTED);
    await expect
      .poll(() => proxy.requests)
      .toContainEqual(expect.stringContaining('check.trivy.dev'));
  });

  it.each([
    ['private server', {}],
    ['memory', { TRIVY_SCAN_STRATEGY: 'memory' }],
    ['shared server', { TRIVY_SCAN_STRATEGY: 'server' }],
  ] as const)("%s: every image gets exactly its report's findings", async (strategy, extra) => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-e2e-'));
    const hostile = hostileSetup(root, proxy.url);
    const rules = path.join(root, 'accepted.trivyignore.yaml');
    writeFileSync(
      rules,
      `vulnerabilities:\n  - id: ${ACCEPTED}\n    statement: libwebp is not used to decode untrusted images here\n    expired_at: 2099-01-01\n`,
    );
    const env = {
      ...lab.env(root),
      ...hostile.env,
      ...extra,
      DOCKPEEK_VEX: rules,
      // Memory mode keeps the hostile TRIVY_SERVER: it must not reach the DB download (audit 1).
      ...(strategy === 'shared server' && { TRIVY_SERVER: shared.url, TRIVY_TOKEN: TOKEN }),
      ...(strategy === 'private server' && { TRIVY_SERVER: '' }),
    };
    proxy.requests.length = 0;
    const run = await runCli(['refresh'], env, { cwd: hostile.cwd });
    expect(run.exitCode, run.stderr).toBe(0);
    const label = {
      'private server': 'private server',
      memory: 'memory',
      'shared server': 'server',
    }[strategy];
    expect(run.stderr).toMatch(
      new RegExp(
        `scan: 6 scanned this run \\(trivy 0\\.74\\.0, ${label} cache, 3 workers\\): 6 ok, 0 failed`,
      ),
    );
    expect(run.stderr).toContain(
      'ignored TRIVY_EXIT_CODE, TRIVY_EXIT_ON_EOL, TRIVY_IGNORE_UNFIXED, TRIVY_SCANNERS, TRIVY_SEVERITY from the environment',
    );

    const stored = readStored(path.join(root, 'data'));
    for (const carried of lab.carried) {
      const image = stored.get(carried.image.name);
      const expected = expectedFindings(carried);
      rows.push(compareRow(`${strategy} / ${carried.image.name}`, expected, image?.findings));
      expect(image?.status, carried.image.name).toBe('scanned');
      expect(image?.trivyVersion).toBe('0.74.0');
      expect(image?.findings, carried.image.name).toEqual(expected);
      const eosl = expectedEosl(carried.image);
      if (eosl === undefined) expect(image?.os, carried.image.name).toBeUndefined();
      else
        expect(image?.os, carried.image.name).toEqual({
          family: carried.image.os!.family,
          name: carried.image.os!.version,
          eosl,
        });
    }

    // KEV marks and the accepted rule, as the export gives them to scripts.
    const exported = await runCli(['export', '--findings'], env);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; kev: boolean; acceptance: string | null });
    expect(lines).toHaveLength(lab.carried.reduce((n, c) => n + c.findings.length, 0));
    for (const line of lines) {
      expect(line.kev, line.id).toBe(KEV.has(line.id));
      expect(line.acceptance, line.id).toBe(line.id === ACCEPTED ? 'accepted' : null);
    }
    expect(lines.filter((l) => l.kev).map((l) => l.id)).toEqual(
      expect.arrayContaining(['CVE-2020-15999', 'CVE-2023-4863', 'CVE-2025-24813']),
    );
    // Neither the version check nor telemetry: nothing went to check.trivy.dev.
    expect(proxy.requests.filter((r) => r.includes('check.trivy.dev'))).toEqual([]);
  });
});
