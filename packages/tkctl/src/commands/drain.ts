import { registry, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { isNotFound, isTooManyRequests, sleep, realClock } from '@tinykube/client';
import { CliError } from '../errors.js';
import type { Session } from '../session.js';
import { deadlineFrom, waitUntilGone } from '../wait.js';
import { selectNodes, setUnschedulable } from './cordon.js';

// `tkctl drain NODE`: cordon, then evict every pod on the node (POST pods/NAME/eviction) and wait
// until they are gone, with kubectl's filters: mirror pods are skipped, DaemonSet pods need
// --ignore-daemonsets (then skipped), pods without a controller need --force, finished pods go.

export interface DrainOptions {
  ignoreDaemonsets?: boolean;
  force?: boolean;
  deleteEmptydirData?: boolean;
  gracePeriod?: number;
  timeout?: string;
  disableEviction?: boolean;
  podSelector?: string;
  selector?: string;
}

const MIRROR = 'kubernetes.io/config.mirror';

function podsInfo(): ResourceInfo {
  const info = registry.get('', 'pods');
  if (!info) throw new Error('the registry has no pods resource');
  return info;
}

type Verdict = { action: 'evict' } | { action: 'skip'; warning?: string } | { action: 'refuse'; why: string };

/** What drain does with one pod, and why (kubectl's drain filters, in order). */
export function classify(pod: KubeObject, o: DrainOptions): Verdict {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (pod.metadata.deletionTimestamp) return { action: 'skip' };
  if (pod.metadata.annotations?.[MIRROR] !== undefined) return { action: 'skip' };
  if (phase === 'Succeeded' || phase === 'Failed') return { action: 'evict' };
  const controller = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (controller?.kind === 'DaemonSet') {
    return o.ignoreDaemonsets
      ? { action: 'skip', warning: 'ignoring DaemonSet-managed Pods' }
      : { action: 'refuse', why: 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
  }
  const volumes = ((pod.spec as { volumes?: { emptyDir?: unknown }[] } | undefined)?.volumes ?? []);
  if (volumes.some((v) => v.emptyDir !== undefined) && !o.deleteEmptydirData) {
    return { action: 'refuse', why: 'cannot delete Pods with local storage (use --delete-emptydir-data to override)' };
  }
  if (!controller && !o.force) {
    return { action: 'refuse', why: 'cannot delete Pods that declare no controller (use --force to override)' };
  }
  return { action: 'evict' };
}

export async function drainCommand(s: Session, args: string[], o: DrainOptions): Promise<void> {
  const pods = podsInfo();
  const deadline = deadlineFrom(o.timeout);
  for (const node of await selectNodes(s, args, o.selector)) {
    const nodeName = node.metadata.name ?? '';
    const cordoned = await setUnschedulable(s, node, true);
    s.io.stdout.write(`node/${nodeName} ${cordoned === 'already' ? 'already cordoned' : 'cordoned'}\n`);
    const list = await s.client.listAll<KubeObject>(pods, { fieldSelector: `spec.nodeName=${nodeName}`, labelSelector: o.podSelector });
    const refused = new Map<string, string[]>();
    const warnings = new Map<string, string[]>();
    const toEvict: KubeObject[] = [];
    for (const pod of list.items) {
      const v = classify(pod, o);
      const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (v.action === 'evict') toEvict.push(pod);
      else if (v.action === 'refuse') refused.set(v.why, [...(refused.get(v.why) ?? []), ref]);
      else if (v.warning) warnings.set(v.warning, [...(warnings.get(v.warning) ?? []), ref]);
    }
    if (refused.size > 0) {
      const why = [...refused].map(([reason, refs]) => `${reason}: ${refs.join(', ')}`).join(', ');
      throw new CliError('FAILED', `unable to drain node "${nodeName}" due to error: ${why}, continuing command...\nThere are pending nodes to be drained:\n ${nodeName}\n${why}`);
    }
    for (const [w, refs] of warnings) s.io.stderr.write(`Warning: ${w}: ${refs.join(', ')}\n`);
    for (const pod of toEvict) await evict(s, pods, pod, o, deadline);
    for (const pod of toEvict) {
      await waitUntilGone(s, pods, pod.metadata.name ?? '', { namespace: pod.metadata.namespace, uid: pod.metadata.uid, deadline });
      s.io.stdout.write(`pod/${pod.metadata.name} ${o.disableEviction ? 'deleted' : 'evicted'}\n`);
    }
    s.io.stdout.write(`node/${nodeName} drained\n`);
  }
}

/** Evicts one pod; a 429 (a disruption budget says not now) is retried every 5 s until the deadline. */
async function evict(s: Session, pods: ResourceInfo, pod: KubeObject, o: DrainOptions, deadline: number | undefined): Promise<void> {
  const name = pod.metadata.name ?? '';
  const namespace = pod.metadata.namespace;
  const deleteOptions = o.gracePeriod !== undefined && o.gracePeriod >= 0 ? { gracePeriodSeconds: o.gracePeriod } : undefined;
  s.io.stdout.write(`evicting pod ${namespace}/${name}\n`);
  for (;;) {
    try {
      if (o.disableEviction) {
        await s.client.delete(pods, name, { namespace, gracePeriodSeconds: deleteOptions?.gracePeriodSeconds });
      } else {
        const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, ...(deleteOptions ? { deleteOptions } : {}) };
        await s.client.create(pods, eviction, { namespace, name, subresource: 'eviction' });
      }
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isTooManyRequests(err)) throw err;
      if (deadline !== undefined && Date.now() + 5000 > deadline) throw new CliError('TIMEOUT', `drain did not complete within the timeout`);
      s.io.stderr.write(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${(err as Error).message}\n`);
      await sleep(realClock, 5000, s.io.signal);
    }
  }
}
