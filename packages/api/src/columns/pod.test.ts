import { describe, expect, it } from 'vitest';
import type { Pod } from '../schemas/pod.js';
import { podColumns, podSummary } from './pod.js';

const now = new Date('2024-05-01T12:00:00Z');

function pod(over: { spec?: Partial<Pod['spec']>; status?: Pod['status']; deletionTimestamp?: string }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: '2024-05-01T11:00:00Z', deletionTimestamp: over.deletionTimestamp },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], ...over.spec },
    status: over.status,
  };
}

const running = { running: { startedAt: '2024-05-01T11:00:00Z' } };

describe('pod STATUS / READY / RESTARTS (kubectl printPod)', () => {
  it('Pending with no statuses', () => {
    expect(podSummary(pod({ status: { phase: 'Pending' } }), now)).toEqual({ ready: '0/2', status: 'Pending', restarts: '0' });
  });

  it('Running and ready', () => {
    const p = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: running },
          { name: 'b', ready: false, restartCount: 0, state: running },
        ],
      },
    });
    expect(podSummary(p, now)).toEqual({ ready: '1/2', status: 'Running', restarts: '0' });
  });

  it('CrashLoopBackOff from a waiting reason, with restarts and when the last one was', () => {
    const p = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: running },
          {
            name: 'b', ready: false, restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:58:00Z' } },
          },
        ],
      },
    });
    expect(podSummary(p, now)).toEqual({ ready: '1/2', status: 'CrashLoopBackOff', restarts: '4 (2m ago)' });
  });

  it('Completed, and ExitCode/Signal when the terminated reason is empty', () => {
    const done = pod({
      spec: { containers: [{ name: 'a' }] },
      status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
    });
    expect(podSummary(done, now).status).toBe('Completed');
    const exit = pod({
      spec: { containers: [{ name: 'a' }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] },
    });
    expect(podSummary(exit, now).status).toBe('ExitCode:3');
    const signal = pod({
      spec: { containers: [{ name: 'a' }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] },
    });
    expect(podSummary(signal, now).status).toBe('Signal:9');
  });

  it('a Completed container beside a running one shows Running or NotReady', () => {
    const statuses = [
      { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', ready: true, restartCount: 0, state: running },
    ];
    const ready = pod({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses } });
    expect(podSummary(ready, now).status).toBe('Running');
    const notReady = pod({ status: { phase: 'Running', containerStatuses: statuses } });
    expect(podSummary(notReady, now).status).toBe('NotReady');
  });

  it('Init:x/y while init containers run, Init:<reason> when they fail', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    const second = pod({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', ready: false, restartCount: 0, state: running },
        ],
        containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    expect(podSummary(second, now)).toMatchObject({ status: 'Init:1/2', ready: '0/2' });
    const crash = pod({
      spec,
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    });
    expect(podSummary(crash, now)).toMatchObject({ status: 'Init:CrashLoopBackOff', restarts: '2' });
    const failed = pod({
      spec,
      status: { phase: 'Failed', initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] },
    });
    expect(podSummary(failed, now).status).toBe('Init:ExitCode:2');
  });

  it('sidecars (restartable init containers) count towards READY', () => {
    const p = pod({
      spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      status: {
        phase: 'Running',
        initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, state: running }],
        containerStatuses: [{ name: 'a', ready: true, restartCount: 0, state: running }],
      },
    });
    expect(podSummary(p, now)).toMatchObject({ ready: '2/2', status: 'Running' });
  });

  it('Terminating once deleted, unless already finished; pod reason wins over phase', () => {
    expect(podSummary(pod({ status: { phase: 'Running' }, deletionTimestamp: '2024-05-01T11:59:00Z' }), now).status).toBe('Terminating');
    expect(podSummary(pod({ status: { phase: 'Succeeded' }, deletionTimestamp: '2024-05-01T11:59:00Z' }), now).status).toBe('Succeeded');
    expect(podSummary(pod({ status: { phase: 'Failed', reason: 'Evicted' } }), now).status).toBe('Evicted');
    expect(podSummary(pod({ status: { phase: 'Running', reason: 'NodeLost' }, deletionTimestamp: '2024-05-01T11:59:00Z' }), now).status).toBe('Unknown');
  });

  it('SchedulingGated from the PodScheduled condition', () => {
    const p = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
    expect(podSummary(p, now).status).toBe('SchedulingGated');
  });
});

describe('pod columns', () => {
  it('are NAME READY STATUS RESTARTS AGE, then wide IP NODE NOMINATED NODE READINESS GATES', () => {
    expect(podColumns.map((c) => [c.name.toUpperCase(), c.priority])).toEqual([
      ['NAME', 0], ['READY', 0], ['STATUS', 0], ['RESTARTS', 0], ['AGE', 0],
      ['IP', 1], ['NODE', 1], ['NOMINATED NODE', 1], ['READINESS GATES', 1],
    ]);
    const p = pod({
      spec: { nodeName: 'worker-1', readinessGates: [{ conditionType: 'example.com/lb' }] },
      status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], conditions: [{ type: 'example.com/lb', status: 'True' }] },
    });
    expect(podColumns.map((c) => c.cell(p, now))).toEqual(['p', '0/2', 'Running', '0', '60m', '10.244.1.5', 'worker-1', '<none>', '1/1']);
    expect(podColumns.map((c) => c.cell(pod({}), now)).slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });
});
