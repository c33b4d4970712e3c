// Who listens on a 127.0.0.1 port: the private trivy server's port is chosen free, but between
// that choice and Trivy's bind another local process can take it, answer /healthz, and be sent
// the server token with every scan. So a start counts only when the socket listening on the
// port is held by the process we started or its process group (a wrapper script's child).
// Linux only (/proc); elsewhere the owner cannot be known, and the private server is not used.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export type PortOwner =
  /** Nothing listens there yet. */
  | { state: 'none' }
  /** The listening socket is held by `group` (the pid we started, as process group leader). */
  | { state: 'ours' }
  /** Something listens there, and none of our group's processes holds it. */
  | { state: 'other' }
  /** /proc cannot say (not Linux, or unreadable). */
  | { state: 'unknown'; why: string };

/** The inodes of the sockets listening on 127.0.0.1:`port`, from /proc/net/tcp. */
function listeningInodes(port: number, proc: string): string[] {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes: string[] = [];
  for (const line of readFileSync(`${proc}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address, then rem_address, st (0A: LISTEN), …, inode (the 10th field).
    if (fields[1] === local && fields[3] === '0A' && fields[9]) inodes.push(fields[9]);
  }
  return inodes;
}

/** The pids of process group `group`, from /proc/<pid>/stat (its 5th field). */
function groupMembers(group: number, proc: string): number[] {
  const members: number[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`${proc}/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses; count from the last ')'.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === group) members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

/** Whether `pid` holds one of `inodes` among its open files. */
function holds(pid: number, inodes: Set<string>, proc: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${proc}/${pid}/fd/${fd}`);
      if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** Who listens on 127.0.0.1:`port`: the process group `group` (ours), another process, or none. */
export function portOwner(port: number, group: number, proc = '/proc'): PortOwner {
  let inodes: string[];
  try {
    inodes = listeningInodes(port, proc);
  } catch (error) {
    return { state: 'unknown', why: `cannot read ${proc}/net/tcp (${(error as Error).message})` };
  }
  if (inodes.length === 0) return { state: 'none' };
  const wanted = new Set(inodes);
  return groupMembers(group, proc).some((pid) => holds(pid, wanted, proc))
    ? { state: 'ours' }
    : { state: 'other' };
}
