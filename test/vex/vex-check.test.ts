import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';
import { openVex, writeVexDocs } from '../helpers/vex-docs.ts';

// `vex --check` against the demo store: the rules, the rejected documents with their line, what
// each rule matches, and the same rules judged before and after an expired_at.
describe('dockpeek-security vex --check', () => {
  const setup = async () => {
    const dataDir = await demoStore();
    const { dir } = writeVexDocs({
      '.trivyignore.yaml': [
        'vulnerabilities:',
        '  - id: CVE-2025-68121',
        '    images: [gcr.io/cadvisor/cadvisor]',
        '    expired_at: 2026-12-01',
        '    statement: cadvisor is only reachable from the LAN',
        '  - id: CVE-2099-0001',
        '',
      ].join('\n'),
      'authelia.openvex.json': openVex([
        {
          vulnerability: { name: 'CVE-2019-1551' },
          products: [
            {
              '@id':
                'pkg:oci/authelia@sha256%3Aa7c0aa83a55163ae9cccc8c1befc16a9af477e16bbe69b87fd90a9190c1e64ae?repository_url=docker.io/authelia/authelia',
            },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ]),
    });
    return { dataDir, dir };
  };

  it('lists rules and their matches, accepted before expired_at and expired after', async () => {
    const { dataDir, dir } = await setup();
    const env = { DOCKPEEK_DATA_DIR: dataDir, DOCKPEEK_VEX: dir };
    const before = await runCli(['vex', '--check', '--at', '2026-11-25'], env);
    expect(before.exitCode, before.stderr).toBe(0);
    expect(before.stderr).toMatch(
      /^vex: 2 document\(s\), 3 rule\(s\), 0 rejected document\(s\); judged at 2026-11-25T00:00:00.000Z$/m,
    );
    expect(before.stderr).toMatch(
      /^rule .*\.trivyignore\.yaml vulnerabilities\[0\] \(line 2\): CVE-2025-68121 accepted, until 2026-12-01T00:00:00.000Z — "cadvisor is only reachable from the LAN": 1 finding\(s\), 1 accepted$/m,
    );
    expect(before.stderr).toMatch(
      /^ {4}gcr\.io\/cadvisor\/cadvisor:v0\.49\.1 {2}CVE-2025-68121 {2}stdlib v1\.22\.12 {2}accepted$/m,
    );
    expect(before.stderr).toMatch(
      /^rule .*authelia\.openvex\.json statements\[0\] \(line 8\): CVE-2019-1551 not_affected \(vulnerable_code_not_in_execute_path\): 2 finding\(s\), 2 accepted$/m,
    );
    expect(before.stderr).toMatch(
      /^ {4}authelia\/authelia:4\.38\.17 {2}CVE-2019-1551 {2}libssl1\.1 .* {2}accepted$/m,
    );
    // The same CVE in other images is not named by the authelia statement.
    expect(before.stderr).not.toMatch(/crowdsec.*CVE-2019-1551/);
    expect(before.stderr).toMatch(/CVE-2099-0001 accepted: STALE: matches no finding$/m);
    expect(before.stderr).toMatch(
      /^warning: vex: 1 stale rule\(s\) match no finding in the fleet$/m,
    );

    const after = await runCli(['vex', '--check', '--at', '2026-12-02', '--json'], env);
    expect(after.exitCode, after.stderr).toBe(0);
    const report = JSON.parse(after.stdout);
    const cadvisor = report.uses.find(
      (u: { rule: { vulnerability: string } }) => u.rule.vulnerability === 'CVE-2025-68121',
    );
    expect(cadvisor).toMatchObject({ matches: 1, accepted: 0 });
    expect(cadvisor.examples.map((e: { effect: string }) => e.effect)).toEqual(['expired']);
    const text = await runCli(['vex', '--check', '--at', '2026-12-02'], env);
    expect(text.stderr).toMatch(
      /CVE-2025-68121 accepted, EXPIRED since 2026-12-01T00:00:00.000Z .*: 1 finding\(s\), 0 accepted$/m,
    );
    expect(text.stderr).toMatch(
      /^ {4}gcr\.io\/cadvisor\/cadvisor:v0\.49\.1 {2}CVE-2025-68121 {2}stdlib v1\.22\.12 {2}expired$/m,
    );
    expect(report.stale).toEqual([`${path.join(dir, '.trivyignore.yaml')}#vulnerabilities[1]`]);
  });

  it('a rejected document: exit 2, its error names file and line, the other rules still listed', async () => {
    const { dataDir, dir } = await setup();
    writeFileSync(
      path.join(dir, 'broken.yaml'),
      'vulnerabilities:\n  - id: CVE-2019-1549\n    expired_at: soon\n',
    );
    const run = await runCli(['vex', '--check'], { DOCKPEEK_DATA_DIR: dataDir, DOCKPEEK_VEX: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^error: vex: .*broken\.yaml: line 3, vulnerabilities\[0\]\.expired_at: "soon" is not a date .* \[bad_date\]$/m,
    );
    expect(run.stderr).toMatch(/^vex: 2 document\(s\), 3 rule\(s\), 1 rejected document\(s\)/m);
  });

  it('usage errors: no --check, no rules configured, a bad --at', async () => {
    const dataDir = await demoStore();
    expect((await runCli(['vex'], { DOCKPEEK_DATA_DIR: dataDir })).stderr).toMatch(
      /vex needs --check \[usage\]/,
    );
    const none = await runCli(['vex', '--check'], { DOCKPEEK_DATA_DIR: dataDir });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/no accepted-risk rules configured \[config_invalid\]/);
    const at = await runCli(['vex', '--check', '--at', 'someday'], {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_VEX: dataDir,
    });
    expect(at.exitCode).toBe(1);
    expect(at.stderr).toMatch(/--at "someday" is not a time \[usage\]/);
  });
});
