import { describe, expect, it } from 'vitest';
import type { Pod } from '@tinykube/api';
import type { ContainerRecord } from './runtime/types.js';
import { computePodStatus, containerStatus, kubeTime, podPhase, type ContainerFacts } from './status.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', extra: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { restartPolicy, containers: [{ name: 'a', image: 'busybox' }], ...extra } };
}

function rec(state: 'running' | 'exited', exitCode?: number, extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id: 'tinykube://42', pid: 42, startTicks: 1, podUid: 'u1', name: 'a', attempt: 0, image: 'busybox', imageID: 'img', logPath: '/x', specHash: 'h',
    startedAt: T0, state, ...(state === 'exited' ? { exitCode, finishedAt: T0 + 5000, reason: exitCode === 0 ? 'Completed' : 'Error' } : {}), ...extra,
  };
}

function facts(f: Partial<ContainerFacts> = {}): ContainerFacts {
  return { name: 'a', image: 'busybox', restartCount: 0, ready: true, started: true, ...f };
}

describe('containerStatus', () => {
  it('shows ContainerCreating before anything ran', () => {
    const s = containerStatus(facts());
    expect(s.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(s.ready).toBe(false);
    expect(s.started).toBe(false);
    expect(s.containerID).toBeUndefined();
  });

  it('shows a running instance with its id and readiness from the probes', () => {
    const s = containerStatus(facts({ current: rec('running'), ready: false }));
    expect(s.state).toEqual({ running: { startedAt: kubeTime(T0) } });
    expect(s.containerID).toBe('tinykube://42');
    expect(s.ready).toBe(false);
    expect(s.started).toBe(true);
  });

  it('shows CrashLoopBackOff with the last exit as lastState', () => {
    const s = containerStatus(facts({ current: rec('exited', 1), waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' }, restartCount: 2 }));
    expect(s.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } });
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', containerID: 'tinykube://42' });
    expect(s.restartCount).toBe(2);
  });

  it('shows a terminated instance with the previous one as lastState', () => {
    const s = containerStatus(facts({ current: rec('exited', 137, { reason: 'OOMKilled' }), previous: rec('exited', 2, { id: 'tinykube://7' }) }));
    expect(s.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled', startedAt: kubeTime(T0), finishedAt: kubeTime(T0 + 5000) });
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 2, containerID: 'tinykube://7' });
  });
});

describe('podPhase', () => {
  const st = (f: Partial<ContainerFacts>) => containerStatus(facts(f));
  it('is Pending while a container waits for its first start', () => {
    expect(podPhase(pod(), [], [st({})])).toBe('Pending');
    expect(podPhase(pod(), [], [st({ waiting: { reason: 'ErrImagePull' } })])).toBe('Pending');
  });
  it('is Running while one runs', () => {
    expect(podPhase(pod(), [], [st({ current: rec('running') })])).toBe('Running');
  });
  it('stays Running while restarting under Always, even after exit 0', () => {
    expect(podPhase(pod('Always'), [], [st({ current: rec('exited', 0) })])).toBe('Running');
    expect(podPhase(pod('Always'), [], [st({ current: rec('exited', 1), waiting: { reason: 'CrashLoopBackOff' } })])).toBe('Running');
  });
  it('is Succeeded when all exited 0 and none restarts', () => {
    expect(podPhase(pod('Never'), [], [st({ current: rec('exited', 0) })])).toBe('Succeeded');
    expect(podPhase(pod('OnFailure'), [], [st({ current: rec('exited', 0) })])).toBe('Succeeded');
  });
  it('is Failed under Never when one failed, Running under OnFailure (it restarts)', () => {
    expect(podPhase(pod('Never'), [], [st({ current: rec('exited', 3) })])).toBe('Failed');
    expect(podPhase(pod('OnFailure'), [], [st({ current: rec('exited', 3) })])).toBe('Running');
  });
  it('is Pending until init containers succeeded, Failed if one failed under Never', () => {
    const init = [st({ name: 'i', current: rec('running') })];
    expect(podPhase(pod(), init, [st({ waiting: { reason: 'PodInitializing' } })])).toBe('Pending');
    const failed = [st({ name: 'i', current: rec('exited', 1) })];
    expect(podPhase(pod('Never'), failed, [st({})])).toBe('Failed');
    expect(podPhase(pod('Always'), failed, [st({})])).toBe('Pending');
    const done = [st({ name: 'i', current: rec('exited', 0) })];
    expect(podPhase(pod(), done, [st({ current: rec('running') })])).toBe('Running');
  });
});

describe('computePodStatus', () => {
  it('builds conditions, IPs and start time for a ready pod', () => {
    const s = computePodStatus({ pod: pod(), init: [], containers: [facts({ current: rec('running') })], podIP: '127.1.0.2', hostIP: '127.0.1.1', startTime: T0, now: T0 + 1000 });
    expect(s.phase).toBe('Running');
    expect(s.podIP).toBe('127.1.0.2');
    expect(s.podIPs).toEqual([{ ip: '127.1.0.2' }]);
    expect(s.hostIP).toBe('127.0.1.1');
    expect(s.startTime).toBe(kubeTime(T0));
    const byType = Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c.status]));
    expect(byType).toEqual({ Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    expect(s.initContainerStatuses).toBeUndefined();
  });

  it('explains unready containers and keeps transition times while a condition holds', () => {
    const first = computePodStatus({ pod: pod(), init: [], containers: [facts({ current: rec('running'), ready: false })], hostIP: 'h', now: T0 });
    const ready = first.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]', lastTransitionTime: kubeTime(T0) });
    const later = computePodStatus({ pod: pod(), init: [], containers: [facts({ current: rec('running'), ready: false })], hostIP: 'h', now: T0 + 60_000, previous: first });
    expect(later.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(kubeTime(T0));
    const flipped = computePodStatus({ pod: pod(), init: [], containers: [facts({ current: rec('running') })], hostIP: 'h', now: T0 + 120_000, previous: later });
    expect(flipped.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: kubeTime(T0 + 120_000) });
  });

  it('reports PodCompleted for a finished pod and lists init containers', () => {
    const p = pod('Never', { initContainers: [{ name: 'i', image: 'busybox' }] });
    const s = computePodStatus({ pod: p, init: [facts({ name: 'i', current: rec('exited', 0) })], containers: [facts({ current: rec('exited', 0) })], hostIP: 'h', now: T0 });
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(s.initContainerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  });

  it('names incomplete init containers in Initialized', () => {
    const p = pod('Always', { initContainers: [{ name: 'i', image: 'busybox' }] });
    const s = computePodStatus({ pod: p, init: [facts({ name: 'i', current: rec('running') })], containers: [facts({ waiting: { reason: 'PodInitializing' } })], hostIP: 'h', now: T0 });
    expect(s.phase).toBe('Pending');
    expect(s.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i]' });
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
  });

  it('holds Ready False while a readiness gate is not True', () => {
    const p = pod('Always', { readinessGates: [{ conditionType: 'example.com/gate' }] });
    const s = computePodStatus({ pod: p, init: [], containers: [facts({ current: rec('running') })], hostIP: 'h', now: T0 });
    expect(s.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    expect(s.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
  });
});
