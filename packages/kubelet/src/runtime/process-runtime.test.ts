import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { parseStat, isAlive } from './proc.js';
import { ProcessRuntime } from './process-runtime.js';
import type { ContainerRecord, StartSpec } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-runtime-'));
const runtimes: ProcessRuntime[] = [];
const started: ContainerRecord[] = [];

function runtime(): ProcessRuntime {
  const r = new ProcessRuntime({ monitorIntervalMs: 50 });
  runtimes.push(r);
  return r;
}

let n = 0;
function spec(argv: string[], extra: Partial<StartSpec> = {}): StartSpec {
  n++;
  return {
    podUid: 'pod1', name: `c${n}`, attempt: 0, image: 'busybox', imageID: 'x', argv, env: { PATH: '/usr/bin:/bin', GREETING: 'hi' }, cwd: dir,
    logPath: join(dir, `c${n}`, '0.log'), specHash: 'h', ...extra,
  };
}

function start(r: ProcessRuntime, s: StartSpec): ContainerRecord {
  const rec = r.start(s);
  started.push(rec);
  return rec;
}

afterEach(() => {
  for (const rec of started.splice(0)) if (rec.pid > 0) try { process.kill(-rec.pid, 'SIGKILL'); } catch { /* gone */ }
});
afterAll(() => {
  for (const r of runtimes) r.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ProcessRuntime', () => {
  it('runs a process with its env, writes stdout and stderr to the log file, and reports exit 0 as Completed', async () => {
    const r = runtime();
    const exits: ContainerRecord[] = [];
    r.onExit((x) => exits.push(x));
    const rec = start(r, spec(['/bin/sh', '-c', 'echo $GREETING; echo oops >&2']));
    expect(rec.id).toBe(`tinykube://${rec.pid}`);
    expect(rec.startTicks).toBeGreaterThan(0);
    await waitFor(() => rec.state === 'exited', { what: 'exit' });
    expect(rec).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(readFileSync(rec.logPath, 'utf8')).toBe('hi\noops\n');
    expect(exits).toEqual([rec]);
  });

  it('reports a non-zero exit as Error', async () => {
    const rec = start(runtime(), spec(['/bin/sh', '-c', 'exit 3']));
    await waitFor(() => rec.state === 'exited', { what: 'exit' });
    expect(rec).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('reports a missing executable as StartError 128', async () => {
    const rec = start(runtime(), spec(['/nonexistent/binary']));
    expect(rec).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
  });

  it('stops a process group with SIGTERM, children included', async () => {
    const r = runtime();
    const rec = start(r, spec(['/bin/sh', '-c', 'sleep 30 & sleep 30; wait']));
    await waitFor(() => readFileSync(`/proc/${rec.pid}/stat`, 'utf8').length > 0, { what: 'started' });
    await r.stop(rec, 5_000);
    expect(rec.state).toBe('exited');
    expect(rec.exitCode).toBe(143);
    expect(isAlive(rec.pid, rec.startTicks)).toBe(false);
  });

  it('kills with SIGKILL when the grace period runs out', async () => {
    const r = runtime();
    const rec = start(r, spec(['/bin/sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"]));
    await waitFor(() => readFileSync(rec.logPath, 'utf8').includes('ready'), { what: 'trap installed' });
    await r.stop(rec, 200);
    expect(rec).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL' });
  });

  it('kills a container over its memory limit: OOMKilled, 137', async () => {
    const r = runtime();
    const rec = start(r, spec([process.execPath, '-e', 'const a=[]; setInterval(()=>a.push(Buffer.alloc(8<<20,1)),10)'], { memoryLimitBytes: 64 * 1024 * 1024 }));
    await waitFor(() => rec.state === 'exited', { timeoutMs: 20_000, what: 'OOM kill' });
    expect(rec).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('adopts a running process from a new runtime and notices when it ends (exit code unknown)', async () => {
    const first = runtime();
    const rec = start(first, spec(['/bin/sh', '-c', 'sleep 30']));
    const saved: ContainerRecord = JSON.parse(JSON.stringify(rec));
    const second = runtime();
    const exits: ContainerRecord[] = [];
    second.onExit((x) => exits.push(x));
    const adopted = second.adopt(saved);
    expect(adopted).toMatchObject({ state: 'running', adopted: true, pid: rec.pid });
    process.kill(-rec.pid, 'SIGKILL');
    await waitFor(() => adopted.state === 'exited', { what: 'adopted exit noticed' });
    expect(adopted).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(exits).toEqual([adopted]);
  });

  it('does not adopt a pid that now belongs to another process', () => {
    const r = runtime();
    const rec: ContainerRecord = {
      id: `tinykube://${process.pid}`, pid: process.pid, startTicks: 1, podUid: 'p', name: 'x', attempt: 0, image: 'i', imageID: 'i', logPath: '/dev/null',
      specHash: 'h', startedAt: 0, state: 'running',
    };
    expect(r.adopt(rec).state).toBe('exited');
  });

  it('runs exec commands with output and a timeout', async () => {
    const r = runtime();
    const rec = start(r, spec(['/bin/sh', '-c', 'sleep 30']));
    expect(await r.exec(rec, ['/bin/sh', '-c', 'echo $GREETING; exit 4'], { GREETING: 'yo' }, dir, 5_000)).toEqual({ exitCode: 4, output: 'yo\n', timedOut: false });
    expect((await r.exec(rec, ['/bin/sleep', '5'], {}, dir, 100)).timedOut).toBe(true);
  });
});

describe('parseStat', () => {
  it('reads fields after a command name with spaces and parentheses', () => {
    const st = parseStat('123 (a (b) c) S 1 77 77 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 162626 3133440 357 18446744073709551615');
    expect(st).toEqual({ pid: 123, state: 'S', ppid: 1, pgid: 77, startTicks: 162626, rssBytes: 357 * 4096 });
  });
});
