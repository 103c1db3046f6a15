import { realClock, type Clock } from '@tinykube/client';
import type { ContainerRecord, ExecResult, Runtime, StartSpec } from './types.js';

/**
 * Containers that "run" without processes, as kwok and kubemark's hollow nodes do: start succeeds at
 * once and the container runs until stopped. Lets one process host many nodes for scale tests.
 */
export class FakeRuntime implements Runtime {
  readonly kind = 'fake' as const;
  readonly version = 'tinykube-fake://0.1';
  private seq = 0;
  private readonly exitHandlers: ((rec: ContainerRecord) => void)[] = [];

  constructor(private readonly clock: Clock = realClock) {}

  onExit(fn: (rec: ContainerRecord) => void): void {
    this.exitHandlers.push(fn);
  }

  start(spec: StartSpec): ContainerRecord {
    this.seq++;
    return {
      id: `tinykube-fake://${this.seq}`, pid: 0, startTicks: 0, podUid: spec.podUid, name: spec.name, attempt: spec.attempt,
      image: spec.image, imageID: spec.imageID, logPath: spec.logPath, specHash: spec.specHash, startedAt: this.clock.now(), state: 'running',
    };
  }

  async stop(rec: ContainerRecord, _graceMs: number): Promise<void> {
    if (rec.state !== 'running') return;
    rec.state = 'exited';
    rec.exitCode = 0;
    rec.reason = 'Completed';
    rec.finishedAt = this.clock.now();
    for (const fn of this.exitHandlers) fn(rec);
  }

  adopt(rec: ContainerRecord): ContainerRecord {
    return rec;
  }

  async exec(): Promise<ExecResult> {
    return { exitCode: 0, output: '', timedOut: false };
  }

  close(): void {}
}
