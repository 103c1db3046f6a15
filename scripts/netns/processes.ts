import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ContainerProcess } from '@tinykube/cluster';
import { nsName } from './namespaces.js';

// A node's main process (node-init, then the kubelet it execs into) started in its namespace with
// `ip netns exec`, which execs too: the pid recorded is the kubelet's. Pid and start time go to a state file so
// `down` and `status` never mistake a reused pid for the kubelet.

export const StateSchema = z.object({
  bridge: z.string(),
  nodes: z.array(z.object({ service: z.string(), namespace: z.string(), ip: z.string(), pid: z.number(), startTicks: z.number(), rootDir: z.string(), logFile: z.string() })),
  kubeconfig: z.string().optional(),
  server: z.string().optional(),
});
export type State = z.infer<typeof StateSchema>;
export type NodeState = State['nodes'][number];

export const stateFile = (dataDir: string) => path.join(dataDir, 'state.json');

export function readState(dataDir: string): State | undefined {
  const f = stateFile(dataDir);
  if (!existsSync(f)) return undefined;
  const r = StateSchema.safeParse(JSON.parse(readFileSync(f, 'utf8')));
  return r.success ? r.data : undefined;
}

export function writeState(dataDir: string, s: State): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(stateFile(dataDir), JSON.stringify(s, null, 2));
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
export function startTicks(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(rest[19]);
  } catch {
    return undefined;
  }
}

export interface StartSpec {
  service: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
}

/** Starts argv inside the service's namespace, detached (its own process group), output appended to logFile. */
export function startInNamespace(s: StartSpec): ContainerProcess {
  mkdirSync(path.dirname(s.logFile), { recursive: true });
  const fd = openSync(s.logFile, 'a');
  try {
    const child = spawn('ip', ['netns', 'exec', nsName(s.service), ...s.argv], { cwd: s.cwd, env: s.env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (!child.pid) throw new Error(`could not start ${s.service}`);
    const ticks = startTicks(child.pid);
    if (ticks === undefined) throw new Error(`${s.service} exited at once; see ${s.logFile}`);
    return { pid: child.pid, startTicks: ticks };
  } finally {
    closeSync(fd);
  }
}
