/**
 * Overload protection: kube-apiserver's max-in-flight limits (`--max-requests-inflight`,
 * `--max-mutating-requests-inflight`) split between priority levels in the spirit of API Priority and Fairness, so a
 * user flooding the apiserver cannot starve the kubelets, scheduler and controllers.
 * - exempt: `system:masters`, and the health probes (`/healthz`, `/livez`, `/readyz`), as kube's `exempt` level;
 * - system: nodes, the control plane's own identities and kube-system's service accounts (kube's `system`,
 *   `node-high`, `leader-election` and `kube-system-service-accounts` flows);
 * - global-default: everyone else.
 * Each level has its own seats for read-only and for mutating requests; a request that finds none free is refused
 * at once with 429 and `Retry-After: 1` (kube's max-in-flight answer; APF would queue it first). Long-running
 * requests (watches, exec/attach/port-forward, logs, proxy) hold no seat, as in kube.
 */
import type { Attributes, UserInfo } from '../auth/types.js';

export type PriorityLevel = 'exempt' | 'system' | 'global-default';
export type RequestKind = 'readOnly' | 'mutating';

/** The share of every seat pool that the system level gets (the rest is global-default's). */
export const SYSTEM_SHARE = 0.6;
const CONTROL_PLANE_USERS = new Set(['system:kube-scheduler', 'system:kube-controller-manager', 'system:kube-proxy', 'system:apiserver']);
const PROBES = new Set(['/healthz', '/livez', '/readyz']);
const LONG_RUNNING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log']);

export function priorityLevelOf(user: UserInfo, attrs: Pick<Attributes, 'resourceRequest' | 'path'>): PriorityLevel {
  if (user.groups.includes('system:masters')) return 'exempt';
  if (!attrs.resourceRequest && PROBES.has(attrs.path)) return 'exempt';
  if (user.groups.includes('system:nodes') || CONTROL_PLANE_USERS.has(user.username)) return 'system';
  if (user.username.startsWith('system:serviceaccount:kube-system:')) return 'system';
  return 'global-default';
}

/** kube's BasicLongRunningRequestCheck(watch, proxy; attach, exec, proxy, log, portforward). */
export function isLongRunning(attrs: Pick<Attributes, 'resourceRequest' | 'verb' | 'subresource'>): boolean {
  return attrs.resourceRequest && (attrs.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(attrs.subresource));
}

export function requestKind(method: string): RequestKind {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'readOnly' : 'mutating';
}

export interface InflightOptions {
  /** kube's --max-requests-inflight (default 400); 0 = no limit */
  maxRequestsInflight: number;
  /** kube's --max-mutating-requests-inflight (default 200); 0 = no limit */
  maxMutatingRequestsInflight: number;
}

/** A decision: `release` frees the seat once the response is done; `rejected` means 429. */
export type Admission = { release: () => void } | { rejected: { level: PriorityLevel; kind: RequestKind } };

export class InflightLimiter {
  private readonly limits: Record<Exclude<PriorityLevel, 'exempt'>, Record<RequestKind, number>>;
  private readonly used: Record<Exclude<PriorityLevel, 'exempt'>, Record<RequestKind, number>> = {
    system: { readOnly: 0, mutating: 0 }, 'global-default': { readOnly: 0, mutating: 0 },
  };

  constructor(o: InflightOptions) {
    const split = (total: number, share: number): number => (total <= 0 ? Infinity : Math.max(1, Math.round(total * share)));
    this.limits = {
      system: { readOnly: split(o.maxRequestsInflight, SYSTEM_SHARE), mutating: split(o.maxMutatingRequestsInflight, SYSTEM_SHARE) },
      'global-default': { readOnly: split(o.maxRequestsInflight, 1 - SYSTEM_SHARE), mutating: split(o.maxMutatingRequestsInflight, 1 - SYSTEM_SHARE) },
    };
  }

  admit(attrs: Attributes, method: string): Admission {
    const level = priorityLevelOf(attrs.user, attrs);
    if (level === 'exempt' || isLongRunning(attrs)) return { release: () => undefined };
    const kind = requestKind(method);
    const used = this.used[level];
    if (used[kind] >= this.limits[level][kind]) return { rejected: { level, kind } };
    used[kind]++;
    let done = false;
    return { release: () => { if (!done) { done = true; used[kind]--; } } };
  }

  /** Seats taken now, per request kind (apiserver_current_inflight_requests). */
  inflight(kind: RequestKind): number {
    return this.used.system[kind] + this.used['global-default'][kind];
  }
}
