import type { ContainerState, ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '@tinykube/api';
import type { ContainerRecord } from './runtime/types.js';

// Pure pod status computation: what the kubelet knows about a pod's containers → PodStatus, the way
// Kubernetes' kubelet computes it (getPhase, generateAPIPodStatus). No I/O, no clock of its own.

export interface ContainerFacts {
  name: string;
  /** The image in the spec. */
  image: string;
  /** The latest instance, running or ended. */
  current?: ContainerRecord;
  /** The instance before `current` (becomes lastState). */
  previous?: ContainerRecord;
  /** Set by the pod worker whenever the container is not running and will not be shown as terminated. */
  waiting?: { reason: string; message?: string };
  restartCount: number;
  /** Readiness as the probes see it (no readiness probe: true once started). */
  ready: boolean;
  /** Startup as the startup probe sees it (no startup probe: true once running). */
  started: boolean;
}

export interface PodFacts {
  pod: Pod;
  init: ContainerFacts[];
  containers: ContainerFacts[];
  podIP?: string;
  hostIP: string;
  startTime?: number;
  now: number;
  /** The status last computed, for condition transition times. */
  previous?: PodStatus;
}

/** A Kubernetes Time: RFC 3339 in UTC with whole seconds. */
export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminated(r: ContainerRecord): ContainerState {
  const t: NonNullable<ContainerState['terminated']> = {
    exitCode: r.exitCode ?? 0,
    reason: r.reason ?? (r.exitCode === 0 ? 'Completed' : 'Error'),
    startedAt: kubeTime(r.startedAt),
    finishedAt: kubeTime(r.finishedAt ?? r.startedAt),
    containerID: r.id,
  };
  if (r.message) t.message = r.message;
  return { terminated: t };
}

export function containerStatus(f: ContainerFacts): ContainerStatus {
  const cur = f.current;
  const running = cur?.state === 'running';
  let state: ContainerState;
  let last: ContainerRecord | undefined = f.previous;
  if (running) state = { running: { startedAt: kubeTime(cur.startedAt) } };
  else if (f.waiting) {
    state = { waiting: f.waiting.message ? { reason: f.waiting.reason, message: f.waiting.message } : { reason: f.waiting.reason } };
    if (cur) last = cur;
  } else if (cur) state = terminated(cur);
  else state = { waiting: { reason: 'ContainerCreating' } };
  const s: ContainerStatus = {
    name: f.name,
    state,
    lastState: last && last.state === 'exited' ? terminated(last) : {},
    ready: running && f.ready,
    restartCount: f.restartCount,
    image: f.image,
    imageID: cur?.imageID ?? '',
    started: running && f.started,
  };
  if (cur) s.containerID = cur.id;
  return s;
}

/** Are all init containers done (terminated with 0)? */
export function initComplete(statuses: ContainerStatus[]): boolean {
  return statuses.every((s) => s.state?.terminated?.exitCode === 0);
}

/** Kubernetes' getPhase. */
export function podPhase(pod: Pod, init: ContainerStatus[], containers: ContainerStatus[]): PodPhase {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (!initComplete(init)) {
    const failed = init.some((s) => (s.state?.terminated?.exitCode ?? 0) !== 0);
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of containers) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, now: number, previous: PodStatus | undefined, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = previous?.conditions?.find((c) => c.type === type);
  const c: PodCondition = {
    type,
    status,
    lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : kubeTime(now),
  };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

export function computePodStatus(f: PodFacts): PodStatus {
  const init = f.init.map(containerStatus);
  const containers = f.containers.map(containerStatus);
  const phase = podPhase(f.pod, init, containers);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const notInit = init.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const unready = containers.filter((s) => !s.ready).map((s) => s.name);
  const gates = (f.pod.spec.readinessGates ?? []).map((g) => g.conditionType);
  const gatesFailing = gates.filter((g) => f.pod.status?.conditions?.find((c) => c.type === g)?.status !== 'True');
  const containersReady = !terminal && unready.length === 0;
  const notReadyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition('Initialized', notInit.length === 0, f.now, f.previous, 'ContainersNotInitialized', `containers with incomplete status: [${notInit.join(' ')}]`),
    condition('Ready', containersReady && gatesFailing.length === 0, f.now, f.previous,
      containersReady ? 'ReadinessGatesNotReady' : notReadyReason,
      containersReady ? `corresponding condition of pod readiness gate "${gatesFailing[0]}" does not exist.` : notReadyMessage),
    condition('ContainersReady', containersReady, f.now, f.previous, notReadyReason, notReadyMessage),
    condition('PodScheduled', true, f.now, f.previous),
  ];
  // Conditions other tools own (readiness gates, DisruptionTarget) are carried over.
  for (const c of f.pod.status?.conditions ?? []) if (!conditions.some((x) => x.type === c.type)) conditions.push(c);
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: f.hostIP,
    hostIPs: [{ ip: f.hostIP }],
  };
  if (f.podIP) {
    status.podIP = f.podIP;
    status.podIPs = [{ ip: f.podIP }];
  }
  if (f.startTime !== undefined) status.startTime = kubeTime(f.startTime);
  if (init.length > 0) status.initContainerStatuses = init;
  status.containerStatuses = containers;
  const qos = f.pod.status?.qosClass;
  if (qos) status.qosClass = qos;
  return status;
}
