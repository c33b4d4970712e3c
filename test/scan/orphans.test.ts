import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killOrphans, markDone, markRunning } from '../../pipeline/scan/orphans.ts';
import { isRunning as running } from '../helpers/standin.ts';

describe('killOrphans', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  const start = () => {
    // Its own process group, as the scan worker starts trivy.
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const exited = (child: ChildProcess) =>
    new Promise<string | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));

  it('kills a recorded group that still runs the recorded command, and forgets every record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-orphans-'));
    const orphan = start();
    const stranger = start();
    const gone = exited(orphan);
    markRunning(dir, orphan.pid!, '/usr/bin/sleep');
    // A pid now used by another program: recorded as trivy, so it must be left alone.
    markRunning(dir, stranger.pid!, '/opt/trivy/trivy');
    markRunning(dir, 999_999_999, 'trivy');
    writeFileSync(path.join(dir, 'not-a-pid'), 'trivy');

    expect(killOrphans(dir)).toEqual([orphan.pid]);
    expect(await gone).toBe('SIGKILL');
    expect(running(stranger.pid!)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('markDone forgets a finished process; a missing folder is nothing to do', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-orphans-'));
    markRunning(dir, 4242, 'trivy');
    markDone(dir, 4242);
    expect(readdirSync(dir)).toEqual([]);
    expect(killOrphans(path.join(dir, 'absent'))).toEqual([]);
    expect(existsSync(path.join(dir, 'absent'))).toBe(false);
  });
});
