import { readdirSync, readFileSync } from 'node:fs';

/** The pid of the kubelet running with --root-dir `root`, from /proc. */
export function kubeletPid(rootDir: string): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--root-dir');
      if (i > 0 && argv[i + 1] === rootDir && argv.some((a) => a.includes('kubelet'))) return Number(e);
    } catch { /* gone */ }
  }
  return undefined;
}

/** The parent of a process, from /proc/<pid>/stat. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
