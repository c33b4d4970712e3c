import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, readTree, runCli, type CliResult } from '../helpers/cli.ts';
import { SECRETS } from '../helpers/homelab.ts';

describe('secrets never leave the host', () => {
  let dataDir: string;
  let json: CliResult;
  let csv: CliResult;

  beforeAll(async () => {
    dataDir = makeDataDir();
    const env = { DOCKER_HOST: `unix://${inject('dockerSocket')}`, DOCKPEEK_DATA_DIR: dataDir };
    const snap = await runCli(['snapshot', '--inspect'], env);
    expect(snap.exitCode, snap.stderr).toBe(0);
    json = await runCli(['export'], env);
    csv = await runCli(['export', '--format', 'csv'], env);
  });

  it('writes db.json, an archive and its summary, and none holds an env value or a foreign label', () => {
    const files = readTree(dataDir);
    expect(files.map((f) => f.file.slice(dataDir.length)).sort()).toEqual([
      expect.stringMatching(/^\/archive\/\.index\/snapshot-.+\.json$/),
      expect.stringMatching(/^\/archive\/snapshot-.+\.json$/),
      '/db.json',
    ]);
    for (const { file, text } of files) {
      for (const secret of Object.values(SECRETS)) expect(text, file).not.toContain(secret);
      for (const key of [
        'POSTGRES_PASSWORD',
        'ADMIN_TOKEN',
        'WIREGUARD_PRIVATE_KEY',
        'traefik',
        'sleep',
      ]) {
        expect(text, file).not.toContain(key);
      }
    }
  });

  it('exports neither', () => {
    expect(json.exitCode, json.stderr).toBe(0);
    expect(csv.exitCode, csv.stderr).toBe(0);
    for (const output of [json.stdout, csv.stdout, json.stderr]) {
      for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
      expect(output).not.toContain('traefik');
    }
  });
});
