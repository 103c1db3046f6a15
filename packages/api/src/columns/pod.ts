import { ageString } from '../age.js';
import type { TableColumn } from '../registry-types.js';
import type { Container, ContainerStatus } from '../schemas/container.js';
import type { Pod } from '../schemas/pod.js';
import { ageColumn, column, nameColumn } from './common.js';

// kubectl's pod columns, with its READY / STATUS / RESTARTS logic (printPod in Kubernetes'
// internalversion printers): the STATUS is the most telling reason among phase, pod reason,
// init container progress, container waiting/terminated reasons, and deletion.

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** A sidecar: an init container with restartPolicy Always keeps running beside the app. */
function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(cs: ContainerStatus, prefix: string): string | undefined {
  const t = cs.state?.terminated;
  if (!t) return undefined;
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

// READY, STATUS and RESTARTS come from one pass; a row asks for all three with the same `now`.
const summaries = new WeakMap<object, { now: number; summary: PodSummary }>();

export function podSummary(pod: Pod, now: Date): PodSummary {
  const hit = summaries.get(pod);
  if (hit && hit.now === now.getTime()) return hit.summary;
  const summary = computePodSummary(pod, now);
  summaries.set(pod, { now: now.getTime(), summary });
  return summary;
}

function computePodSummary(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  let total = spec.containers.length;
  for (const c of initSpecs.values()) if (isRestartableInit(c)) total++;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason: string = status.reason || status.phase || '';

  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const sidecar = isRestartableInit(initSpecs.get(cs.name));
    restarts += cs.restartCount;
    lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
    if (sidecar) {
      sidecarRestarts += cs.restartCount;
      lastSidecarRestart = laterOf(lastSidecarRestart, cs.lastState?.terminated?.finishedAt);
    }
    const term = cs.state?.terminated;
    if (term && term.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    initializing = true;
    const waiting = cs.state?.waiting?.reason;
    if (term) reason = terminatedReason(cs, 'Init:')!;
    else if (waiting && waiting !== 'PodInitializing') reason = `Init:${waiting}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount;
      lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
      const waiting = cs.state?.waiting?.reason;
      if (waiting) reason = waiting;
      else if (cs.state?.terminated) reason = terminatedReason(cs, '')!;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A finished container beside a still-running one does not make the pod "Completed".
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }

  const restartsText =
    restarts !== 0 && lastRestart ? `${restarts} (${ageString(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

export const podColumns: TableColumn[] = [
  nameColumn,
  column<Pod>('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.', (p, now) => podSummary(p, now).ready),
  column<Pod>('Status', 'string', 'The aggregate status of the containers in this pod.', (p, now) => podSummary(p, now).status),
  column<Pod>(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    (p, now) => podSummary(p, now).restarts,
  ),
  ageColumn,
  column<Pod>('IP', 'string', 'The IP address assigned to this pod.', (p) => p.status?.podIPs?.[0]?.ip || p.status?.podIP || '<none>', 1),
  column<Pod>('Node', 'string', 'The node this pod is assigned to.', (p) => p.spec.nodeName || '<none>', 1),
  column<Pod>(
    'Nominated Node',
    'string',
    'The node that this pod is nominated to run on (set by the scheduler when preempting).',
    (p) => p.status?.nominatedNodeName || '<none>',
    1,
  ),
  column<Pod>('Readiness Gates', 'string', 'The readiness gates of this pod that are satisfied.', readinessGates, 1),
];
