import { registry, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { usageError } from '../errors.js';
import { fetchObjects } from '../fetch.js';
import type { Session } from '../session.js';

export function nodesInfo(): ResourceInfo {
  const info = registry.get('', 'nodes');
  if (!info) throw new Error('the registry has no nodes resource');
  return info;
}

/** The nodes named in `args` (NAME or node/NAME), or those matching -l. */
export async function selectNodes(s: Session, args: string[], selector?: string): Promise<KubeObject[]> {
  const info = nodesInfo();
  const names = args.map((a) => a.replace(/^(nodes?|no)\//, ''));
  if (names.length === 0 && !selector) throw usageError('USAGE: cordon NODE [flags]');
  if (names.length === 0) return (await fetchObjects(s, info, { labelSelector: selector })).items;
  const out: KubeObject[] = [];
  for (const n of names) out.push(...(await fetchObjects(s, info, {}, n)).items);
  return out;
}

/**
 * Marks a node (un)schedulable with a strategic merge patch on spec.unschedulable, as kubectl
 * does; returns what happened, for the caller's message.
 */
export async function setUnschedulable(s: Session, node: KubeObject, unschedulable: boolean): Promise<'changed' | 'already'> {
  const current = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  if (current === unschedulable) return 'already';
  await s.client.patch(nodesInfo(), node.metadata.name ?? '', { spec: { unschedulable: unschedulable ? true : null } }, 'strategic');
  return 'changed';
}

/** `tkctl cordon|uncordon NODE...` */
export async function cordonCommand(s: Session, args: string[], cordon: boolean, o: { selector?: string }): Promise<void> {
  for (const node of await selectNodes(s, args, o.selector)) {
    const result = await setUnschedulable(s, node, cordon);
    const verb = cordon ? 'cordoned' : 'uncordoned';
    s.io.stdout.write(`node/${node.metadata.name} ${result === 'already' ? `already ${verb}` : verb}\n`);
  }
}
