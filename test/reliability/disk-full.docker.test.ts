// In the "docker" project because it needs root (it mounts a tiny tmpfs), like the daemon tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { writeFleet } from '../helpers/fleet.ts';
import { STANDIN } from '../helpers/standin.ts';

describe('faults: the disk fills up while writing the store', () => {
  const mount = mkdtempSync(path.join(tmpdir(), 'dpk-full-'));
  beforeAll(() => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount]);
  });
  afterAll(() => {
    execFileSync('umount', [mount]);
  });

  it('keeps the previous db.json intact, leaves no temp file, and says why', async () => {
    const dataDir = path.join(mount, 'data');
    mkdirSync(dataDir);
    const config = writeFleet(dataDir);
    const before = readFileSync(path.join(dataDir, 'db.json'), 'utf8');
    // Fill the disk, then give back one 4 KiB block: room for the run lock, not for db.json.
    const fillers: string[] = [];
    try {
      for (;;) {
        const file = path.join(mount, `fill-${fillers.length}`);
        writeFileSync(file, Buffer.alloc(4096));
        fillers.push(file);
      }
    } catch {
      rmSync(fillers.pop()!);
    }
    const run = await runCli(['scan'], {
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      HOME: mount,
      // Node's compile cache (bin/compile-cache.mjs) elsewhere: the last free block is for the lock.
      XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'dpk-full-cache-')),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toContain('unexpected failure');
    expect(run.stderr).toMatch(
      /error: cannot write .*: ENOSPC: no space left on device.* \[db_unwritable\]/,
    );
    expect(run.stderr).toMatch(/previous db\.json is unchanged|Nothing was changed/);
    expect(readFileSync(path.join(dataDir, 'db.json'), 'utf8')).toBe(before);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp') || f === '.run.lock')).toEqual([]);
  });
});
