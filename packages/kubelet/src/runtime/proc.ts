import { readdirSync, readFileSync } from 'node:fs';

// Reading /proc: the process runtime's only view of processes it did not spawn itself (after a
// kubelet restart) and of whole process groups (a container is its leader's process group).

const PAGE_SIZE = 4096;

export interface ProcStat {
  pid: number;
  /** R, S, D, Z, T, ... */
  state: string;
  ppid: number;
  pgid: number;
  /** Field 22: start time in clock ticks since boot. With the pid it names a process uniquely. */
  startTicks: number;
  rssBytes: number;
}

/** Parses the text of /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const num = (field: number): number => Number(rest[field - 3]);
  if (!Number.isInteger(pid) || rest.length < 22) return undefined;
  return { pid, state: rest[0] ?? '?', ppid: num(4), pgid: num(5), startTicks: num(22), rssBytes: num(24) * PAGE_SIZE };
}

export function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process on the machine; one pass over /proc (a few ms for a few hundred processes). */
export function scanProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const st = readStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

/** RSS summed per process group (a container's memory is its group's memory). */
export function rssByGroup(procs: ProcStat[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of procs) if (p.state !== 'Z') m.set(p.pgid, (m.get(p.pgid) ?? 0) + p.rssBytes);
  return m;
}

/**
 * Is this exact process (pid + start time) still alive? A bare pid check is not enough: pids are
 * reused, and an adopted process is not our child so we get no exit event for it.
 */
export function isAlive(pid: number, startTicks: number): boolean {
  const st = readStat(pid);
  return st !== undefined && st.startTicks === startTicks && st.state !== 'Z' && st.state !== 'X';
}

/** Signals a whole process group; false when the group no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
