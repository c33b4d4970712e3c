import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../pipeline/scan/run-process.ts';

// The stdout cap at its boundary, in both modes: a file trivy writes itself (watched for size)
// and memory (small outputs). `head -c N /dev/zero` writes exactly N bytes.
const MAX = 64 * 1024;
const write = (bytes: number) => ['-c', `head -c ${bytes} /dev/zero; sleep 0`];

describe('runProcess stdout cap', () => {
  it.each([
    ['file', MAX, false],
    ['file', MAX + 1, true],
    ['file', 50 * 1024 * 1024, true],
    ['memory', MAX, false],
    ['memory', MAX + 1, true],
    ['memory', 50 * 1024 * 1024, true],
  ] as const)(
    '%s mode: %i bytes against a cap of 64 KiB → too large: %s',
    async (mode, bytes, tooLarge) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dpk-cap-'));
      const file = path.join(dir, 'stdout');
      const run = await runProcess('sh', write(bytes), {
        env: { PATH: process.env.PATH ?? '' },
        cwd: dir,
        deadlineMs: 60_000,
        maxOutputBytes: MAX,
        ...(mode === 'file' && { stdoutFile: file }),
      });
      expect(run.outputTooLarge).toBe(tooLarge);
      expect(run.spawnError).toBeUndefined();
      if (!tooLarge) {
        expect(run.exitCode).toBe(0);
        expect(run.stdoutBytes).toBe(bytes);
        if (mode === 'file') expect(statSync(file).size).toBe(bytes);
        else expect(run.stdout).toHaveLength(bytes);
      } else {
        expect(run.stdoutBytes).toBeGreaterThan(MAX);
        // Memory mode never keeps more than the cap.
        if (mode === 'memory') expect(run.stdout.length).toBeLessThanOrEqual(MAX);
      }
    },
  );

  it('reports a command that cannot start as data, with no file left open', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-cap-'));
    const run = await runProcess('/nonexistent/trivy', [], {
      env: {},
      cwd: dir,
      deadlineMs: 10_000,
      maxOutputBytes: MAX,
      stdoutFile: path.join(dir, 'stdout'),
    });
    expect(run.spawnError).toMatch(/ENOENT/);
    expect(run.exitCode).toBeUndefined();
  });
});
