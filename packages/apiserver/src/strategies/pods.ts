/**
 * Pods: status starts as Pending with a QoS class, and deletion is graceful for pods bound to a node
 * (deletionTimestamp = now + grace period; the kubelet confirms with gracePeriodSeconds=0). Pods not bound to a
 * node, or already finished, go at once — as in Kubernetes' podStrategy.CheckGracefulTerminationRequired.
 */
import type { KubeObject } from '@tinykube/api';
import type { Strategy } from '../storage/strategy.js';
import { isRecord } from '../util.js';

interface Resources { requests?: Record<string, unknown>; limits?: Record<string, unknown> }

/** Kubernetes' QoS class, simplified to cpu/memory presence and equality of requests and limits. */
export function qosClass(spec: unknown): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = isRecord(spec) && Array.isArray(spec.containers) ? spec.containers : [];
  const init = isRecord(spec) && Array.isArray(spec.initContainers) ? spec.initContainers : [];
  let any = false; let guaranteed = true;
  for (const c of [...containers, ...init]) {
    const r: Resources = isRecord(c) && isRecord(c.resources) ? (c.resources as Resources) : {};
    const req = r.requests ?? {}; const lim = r.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (lim[res] === undefined) { guaranteed = false; continue; }
      if (req[res] !== undefined && String(req[res]) !== String(lim[res])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function podStrategy(): Strategy {
  return {
    returnDeletedObject: true,
    prepareForCreate(obj: KubeObject) {
      obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
    },
    gracePeriodSeconds(obj: KubeObject, requested: number | undefined): number {
      const spec = isRecord(obj.spec) ? obj.spec : {};
      const phase = isRecord(obj.status) ? obj.status.phase : undefined;
      if (!spec.nodeName) return 0;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      const fallback = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
      const grace = requested ?? fallback;
      return grace > 0 ? grace : 0;
    },
  };
}
