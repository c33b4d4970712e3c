import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../pipeline/cli/output.ts';
import { withRunLock } from '../../pipeline/store/run-lock.ts';

const out = createOutput(process.stderr, { NO_COLOR: '1' }, true);
const dir = () => mkdtempSync(path.join(tmpdir(), 'dpk-lock-'));

describe('withRunLock', () => {
  it('holds the lock during the work and releases it after, also on error', async () => {
    const d = dir();
    await withRunLock(d, 'refresh', false, out, async () => {
      expect(JSON.parse(readFileSync(path.join(d, '.run.lock'), 'utf8'))).toMatchObject({
        pid: process.pid,
        command: 'refresh',
      });
    });
    expect(existsSync(path.join(d, '.run.lock'))).toBe(false);
    await expect(
      withRunLock(d, 'scan', false, out, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(existsSync(path.join(d, '.run.lock'))).toBe(false);
  });

  it('refuses while a live process holds it, naming that process', async () => {
    const d = dir();
    writeFileSync(
      path.join(d, '.run.lock'),
      JSON.stringify({
        pid: 1,
        host: hostname(),
        command: 'refresh',
        startedAt: '2026-11-25T10:00:00Z',
      }),
    );
    await expect(withRunLock(d, 'build', false, out, async () => 1)).rejects.toMatchObject({
      code: 'locked',
      message: `another run holds ${d}: refresh (pid 1 on ${hostname()}, started 2026-11-25T10:00:00Z)`,
    });
  });

  it('takes over a lock whose process is gone', async () => {
    const d = dir();
    writeFileSync(
      path.join(d, '.run.lock'),
      JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), command: 'refresh', startedAt: 'x' }),
    );
    expect(await withRunLock(d, 'refresh', false, out, async () => 'ran')).toBe('ran');
  });

  it('waits for the holder with --wait, and gives up at the deadline', async () => {
    const d = dir();
    const first = withRunLock(
      d,
      'refresh',
      false,
      out,
      () => new Promise((r) => setTimeout(() => r('first'), 600)),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(await withRunLock(d, 'refresh', '10s', out, async () => 'second')).toBe('second');
    expect(await first).toBe('first');
    const long = withRunLock(
      d,
      'refresh',
      false,
      out,
      () => new Promise((r) => setTimeout(r, 1500)),
    );
    await new Promise((r) => setTimeout(r, 50));
    await expect(withRunLock(d, 'refresh', '300ms', out, async () => 1)).rejects.toMatchObject({
      code: 'locked',
    });
    await long;
  });
});
