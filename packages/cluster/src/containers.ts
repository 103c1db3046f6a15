import { isAlive, loadAllCheckpoints } from '@tinykube/kubelet';
import type { Logger } from 'pino';

export interface ContainerProcess { pid: number; startTicks: number }

/**
 * A stopped kubelet leaves its containers running (a restarted kubelet adopts them). When the whole local
 * cluster stops, the launcher ends them itself, from the pids in the kubelet's pod checkpoints — only those that
 * are still the process the kubelet started (same start time), never a reused pid.
 */
export function runningContainers(rootDir: string, log: Logger): ContainerProcess[] {
  const out: ContainerProcess[] = [];
  for (const cp of loadAllCheckpoints(rootDir, log)) {
    for (const c of [...Object.values(cp.containers), ...Object.values(cp.init)]) {
      const cur = c.current;
      if (cur?.state === 'running' && isAlive(cur.pid, cur.startTicks)) out.push({ pid: cur.pid, startTicks: cur.startTicks });
    }
  }
  return out;
}

/** SIGTERM to each container's process group, then SIGKILL to what is left after graceMs. */
export async function stopContainers(procs: ContainerProcess[], graceMs = 10_000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the kubelet made each container the leader of its own process group
    } catch {
      try { process.kill(pid, sig); } catch { /* already gone */ }
    }
  };
  const living = () => procs.filter((p) => isAlive(p.pid, p.startTicks));
  for (const p of procs) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (living().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of living()) signal(p.pid, 'SIGKILL');
}
