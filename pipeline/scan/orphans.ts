// Each trivy runs in its own process group so that a hung one can be killed with its children.
// A run killed with SIGKILL cannot do that, so its trivy processes would live on until their own
// --timeout. While a trivy runs, its pid is recorded in <data>/.trivy-running/<pid>; the next
// scan, which holds the run lock, kills the groups a dead run left there.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../process-alive.ts';
import { killGroup } from './run-process.ts';

export function runningDir(dataDir: string): string {
  return path.join(dataDir, '.trivy-running');
}

/** Record a trivy process group as running; the file holds the command, to recognise it later. */
export function markRunning(dir: string, pid: number, bin: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, String(pid)), bin);
}

export function markDone(dir: string, pid: number): void {
  rmSync(path.join(dir, String(pid)), { force: true });
}

/**
 * Kill the trivy process groups recorded by runs that are gone; returns their pids. A recorded
 * pid is killed only while it is alive and still runs the recorded command (pids are reused).
 */
export function killOrphans(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const pid = Number(name);
    const bin = readText(file);
    if (Number.isInteger(pid) && pid > 1 && bin && isProcessAlive(pid)) {
      const argv = readText(`/proc/${pid}/cmdline`).split('\0');
      // argv[0], or the script path after an interpreter, names the same file as `bin`.
      if (argv.slice(0, 2).some((arg) => path.basename(arg) === path.basename(bin))) {
        killGroup(pid);
        killed.push(pid);
      }
    }
    rmSync(file, { force: true });
  }
  return killed;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
