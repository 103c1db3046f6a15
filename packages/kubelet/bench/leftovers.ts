// A safety net for bench:node: SIGTERM leaves a kubelet's containers running (a new kubelet would adopt them), so
// after the bench any container process still alive under its root dirs is killed, found by its TK_POD_DIR.
import { readdirSync, readFileSync } from 'node:fs';

/** SIGKILLs the process group of every process whose environment says its pod folder is under `root`. */
export function killContainersUnder(root: string): number {
  let killed = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    let env: string;
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!env.split('\0').some((kv) => kv.startsWith(`TK_POD_DIR=${root}`))) continue;
    try {
      process.kill(-pid, 'SIGKILL'); // containers lead their own process group
    } catch {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    killed++;
  }
  return killed;
}
