import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../pipeline/cli/output.ts';
import { withRunLock } from '../../pipeline/store/run-lock.ts';
import { waitFor } from '../helpers/dockerd.ts';

const out = createOutput(process.stderr, { NO_COLOR: '1' }, true);
const dir = () => mkdtempSync(path.join(tmpdir(), 'dpk-lock-'));

describe('withRunLock', () => {
  it('holds the lock during the work and releases it after, also on error', async () => {
    const d = dir();
    await withRunLock(d, 'refresh', 0, out, async () => {
      expect(JSON.parse(readFileSync(path.join(d, '.run.lock'), 'utf8'))).toMatchObject({
        pid: process.pid,
        command: 'refresh',
      });
    });
    expect(existsSync(path.join(d, '.run.lock'))).toBe(false);
    await expect(
      withRunLock(d, 'scan', 0, out, async () => Promise.reject(new Error('boom'))),
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
    await expect(withRunLock(d, 'build', 0, out, async () => 1)).rejects.toMatchObject({
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
    expect(await withRunLock(d, 'refresh', 0, out, async () => 'ran')).toBe('ran');
  });

  it('waits for the holder with --wait, and gives up at the deadline', async () => {
    const d = dir();
    const first = withRunLock(
      d,
      'refresh',
      0,
      out,
      () => new Promise((r) => setTimeout(() => r('first'), 600)),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(await withRunLock(d, 'refresh', 10_000, out, async () => 'second')).toBe('second');
    expect(await first).toBe('first');
    const long = withRunLock(d, 'refresh', 0, out, () => new Promise((r) => setTimeout(r, 1500)));
    await new Promise((r) => setTimeout(r, 50));
    await expect(withRunLock(d, 'refresh', 300, out, async () => 1)).rejects.toMatchObject({
      code: 'locked',
    });
    await long;
  });
});

describe('temp files of killed writes', () => {
  it('are swept by the next run that holds the lock, and only they', async () => {
    const d = dir();
    mkdirSync(path.join(d, 'archive'));
    writeFileSync(path.join(d, 'archive', 'keep.json.tmp'), 'not ours: no random suffix');
    // A real write killed half-way: a child writes 300 MB to db.json atomically and is SIGKILLed
    // as soon as its temp file exists.
    const script = `import { writeFileAtomic } from ${JSON.stringify(path.resolve('pipeline/store/atomic-write.ts'))};
      await writeFileAtomic(${JSON.stringify(path.join(d, 'db.json'))}, 'x'.repeat(300 * 1024 * 1024));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    const temp = () => readdirSync(d).filter((n) => /^\.db\.json\.[0-9a-f]{8}\.tmp$/.test(n));
    await waitFor(async () => temp().length > 0, 60_000, 'the child never started writing');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(temp()).toHaveLength(1);
    expect(existsSync(path.join(d, 'db.json'))).toBe(false);
    await withRunLock(d, 'refresh', 0, out, async () => {});
    expect(temp()).toEqual([]);
    expect(existsSync(path.join(d, 'archive', 'keep.json.tmp'))).toBe(true);
  });
});
