import type { KubeObject, ResourceInfo } from '@tinykube/api';
import { isGone } from '@tinykube/client';
import { CliError, usageError } from '../errors.js';
import { namespaceFor, parseSingleTarget } from '../resources.js';
import type { Session } from '../session.js';
import { deadlineFrom } from '../wait.js';

// `tkctl rollout status deploy/x|ds/x`: kubectl's status viewers. Each distinct progress message
// is printed once as the object changes (watched by name) until the rollout is done or failed.

interface Progress {
  message: string;
  done: boolean;
}

type Obj = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** kubectl's DeploymentStatusViewer, word for word. Throws when the progress deadline passed. */
export function deploymentProgress(d: KubeObject): Progress {
  const name = d.metadata.name ?? '';
  const spec = (d.spec ?? {}) as Obj;
  const status = (d.status ?? {}) as Obj;
  if (num(d.metadata.generation) > num(status.observedGeneration)) {
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Obj[]) : [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError('FAILED', `deployment "${name}" exceeded its progress deadline`);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const updated = num(status.updatedReplicas);
  if (updated < replicas) {
    return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
  }
  if (num(status.replicas) > updated) {
    return { message: `Waiting for deployment "${name}" rollout to finish: ${num(status.replicas) - updated} old replicas are pending termination...`, done: false };
  }
  if (num(status.availableReplicas) < updated) {
    return { message: `Waiting for deployment "${name}" rollout to finish: ${num(status.availableReplicas)} of ${updated} updated replicas are available...`, done: false };
  }
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/** kubectl's DaemonSetStatusViewer. */
export function daemonSetProgress(ds: KubeObject): Progress {
  const name = ds.metadata.name ?? '';
  const status = (ds.status ?? {}) as Obj;
  if (num(ds.metadata.generation) > num(status.observedGeneration)) {
    return { message: 'Waiting for daemon set spec update to be observed...', done: false };
  }
  const desired = num(status.desiredNumberScheduled);
  const updated = num(status.updatedNumberScheduled);
  if (updated < desired) {
    return { message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`, done: false };
  }
  if (num(status.numberAvailable) < desired) {
    return { message: `Waiting for daemon set "${name}" rollout to finish: ${num(status.numberAvailable)} of ${desired} updated pods are available...`, done: false };
  }
  return { message: `daemon set "${name}" successfully rolled out`, done: true };
}

function viewer(info: ResourceInfo): (o: KubeObject) => Progress {
  if (info.group === 'apps' && info.kind === 'Deployment') return deploymentProgress;
  if (info.group === 'apps' && info.kind === 'DaemonSet') return daemonSetProgress;
  throw usageError(`no status viewer has been implemented for ${info.kind}`);
}

export interface RolloutStatusOptions {
  watch?: boolean;
  timeout?: string;
}

export async function rolloutStatusCommand(s: Session, args: string[], o: RolloutStatusOptions): Promise<void> {
  const { info, name } = parseSingleTarget(args, 'rollout status');
  const view = viewer(info);
  const namespace = namespaceFor(info, s.namespace);
  const deadline = deadlineFrom(o.timeout);
  let last = '';
  const show = (obj: KubeObject): boolean => {
    const p = view(obj);
    if (p.message !== last) s.io.stdout.write(p.message + '\n');
    last = p.message;
    return p.done;
  };
  for (;;) {
    const obj = await s.client.get<KubeObject>(info, name, { namespace });
    if (show(obj) || o.watch === false) return;
    const signals = [s.io.signal];
    if (deadline !== undefined) signals.push(AbortSignal.timeout(Math.max(1, deadline - Date.now())));
    try {
      for await (const ev of s.client.watch<KubeObject>(info, {
        namespace, fieldSelector: `metadata.name=${name}`, resourceVersion: obj.metadata.resourceVersion, signal: AbortSignal.any(signals),
      })) {
        if (ev.type === 'DELETED') throw new CliError('FAILED', `object has been deleted`);
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && show(ev.object)) return;
      }
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    if (s.io.signal.aborted) throw new CliError('INTERRUPTED', 'interrupted');
    if (deadline !== undefined && Date.now() >= deadline) throw new CliError('TIMEOUT', 'timed out waiting for the condition');
  }
}
