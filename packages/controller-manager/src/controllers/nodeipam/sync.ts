import type { Actions, EventRecorder, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';
import type { CidrSet } from './cidr.js';

export interface NodeIpamSyncDeps {
  lister: Lister;
  actions: Actions;
  recorder: EventRecorder;
  cidrs: CidrSet;
  /** CIDRs we assigned that our cache has not shown yet, by node (so two nodes never get the same one). */
  pending: Map<string, string>;
}

/** Gives a node without spec.podCIDR the lowest free block of the cluster CIDR. */
export async function syncNodeCidr(deps: NodeIpamSyncDeps, name: string): Promise<SyncResult> {
  const nodes = deps.lister.list('nodes');
  const names = new Set(nodes.map((n) => n.metadata.name));
  for (const k of deps.pending.keys()) if (!names.has(k)) deps.pending.delete(k);
  const node = nodes.find((n) => n.metadata.name === name);
  if (!node) return {};
  if (node.spec?.podCIDR) {
    deps.pending.delete(name);
    return {};
  }
  const used = new Set<string>();
  for (const n of nodes) {
    if (n.spec?.podCIDR) used.add(n.spec.podCIDR);
    for (const c of n.spec?.podCIDRs ?? []) used.add(c);
  }
  for (const [k, c] of deps.pending) if (k !== name) used.add(c);
  const cidr = deps.pending.get(name) ?? deps.cidrs.next(used);
  if (!cidr) {
    deps.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
    return {};
  }
  const next = clone(node);
  next.spec = { ...next.spec, podCIDR: cidr, podCIDRs: [cidr] };
  deps.pending.set(name, cidr);
  await deps.actions.update('nodes', next);
  return {};
}
