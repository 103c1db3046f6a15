import { registry, selectorString, type KubeObject, type LabelSelectorSpec, type ResourceInfo } from '@tinykube/api';
import { CliError, usageError } from '../errors.js';
import { formatLines } from '../printers/table.js';
import { toYaml } from '../printers/structured.js';
import { jsonEqual } from '../apply/three-way.js';
import { kindPrefix, namespaceFor, parseSingleTarget } from '../resources.js';
import type { Session } from '../session.js';

// `rollout history` and `rollout undo` for Deployments: the revisions are the Deployment's
// ReplicaSets, numbered by their deployment.kubernetes.io/revision annotation.

export const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

interface Revision {
  revision: number;
  rs: KubeObject;
}

function replicaSets(): ResourceInfo {
  const info = registry.get('apps', 'replicasets');
  if (!info) throw new Error('the registry has no replicasets resource');
  return info;
}

function deploymentTarget(args: string[], verb: string): { info: ResourceInfo; name: string } {
  const t = parseSingleTarget(args, verb);
  if (t.info.group !== 'apps' || t.info.kind !== 'Deployment') throw usageError(`no history viewer has been implemented for ${t.info.kind}`);
  return t;
}

/** The Deployment's ReplicaSets (owned by its uid) by revision, oldest first. */
export async function revisionsOf(s: Session, deploy: KubeObject): Promise<Revision[]> {
  const selector = selectorString((deploy.spec as { selector?: LabelSelectorSpec } | undefined)?.selector);
  const list = await s.client.listAll<KubeObject>(replicaSets(), { namespace: deploy.metadata.namespace, labelSelector: selector || undefined });
  return list.items
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.uid === deploy.metadata.uid))
    .map((rs) => ({ revision: Number(rs.metadata.annotations?.[REVISION] ?? 0), rs }))
    .filter((r) => Number.isInteger(r.revision) && r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/** A pod template without the pod-template-hash label the controller adds. */
export function templateOf(rs: KubeObject): Record<string, unknown> {
  const template = structuredClone(((rs.spec as { template?: Record<string, unknown> } | undefined)?.template ?? {}) as Record<string, unknown>);
  const md = (template.metadata ?? {}) as { labels?: Record<string, string> };
  if (md.labels) {
    delete md.labels['pod-template-hash'];
    if (Object.keys(md.labels).length === 0) delete md.labels;
  }
  return template;
}

export async function rolloutHistoryCommand(s: Session, args: string[], o: { revision?: number }): Promise<void> {
  const { info, name } = deploymentTarget(args, 'rollout history');
  const deploy = await s.client.get<KubeObject>(info, name, { namespace: namespaceFor(info, s.namespace) });
  const revisions = await revisionsOf(s, deploy);
  if (o.revision !== undefined && o.revision > 0) {
    const r = revisions.find((x) => x.revision === o.revision);
    if (!r) throw new CliError('NOT_FOUND', `unable to find the specified revision`);
    s.io.stdout.write(`${kindPrefix(info)}/${name} with revision #${r.revision}\nPod Template:\n`);
    s.io.stdout.write(toYaml(templateOf(r.rs)).replace(/^/gm, '  '));
    return;
  }
  s.io.stdout.write(`${kindPrefix(info)}/${name} \n`);
  const rows = revisions.map((r) => [String(r.revision), r.rs.metadata.annotations?.[CHANGE_CAUSE] ?? '<none>']);
  s.io.stdout.write(formatLines([['REVISION', 'CHANGE-CAUSE'], ...rows], 2) + '\n');
}

/**
 * `rollout undo deploy/x [--to-revision=N]`: copies the chosen ReplicaSet's pod template (minus
 * pod-template-hash) into the Deployment with a JSON patch guarded by resourceVersion, as kubectl does.
 */
export async function rolloutUndoCommand(s: Session, args: string[], o: { toRevision?: number }): Promise<void> {
  const { info, name } = deploymentTarget(args, 'rollout undo');
  const namespace = namespaceFor(info, s.namespace);
  const deploy = await s.client.get<KubeObject>(info, name, { namespace });
  if ((deploy.spec as { paused?: boolean } | undefined)?.paused) {
    throw usageError(`you cannot rollback a paused deployment; resume it first with 'tkctl rollout resume' and try again`);
  }
  const revisions = await revisionsOf(s, deploy);
  const toRevision = o.toRevision ?? 0;
  let target: Revision | undefined;
  if (toRevision === 0) {
    if (revisions.length < 2) throw new CliError('NOT_FOUND', `no rollout history found for deployment "${name}"`);
    target = revisions[revisions.length - 2];
  } else {
    target = revisions.find((r) => r.revision === toRevision);
    if (!target) throw new CliError('NOT_FOUND', `unable to find specified revision ${toRevision} in history`);
  }
  const template = templateOf(target.rs);
  const current = (deploy.spec as { template?: unknown } | undefined)?.template;
  if (jsonEqual(template, current)) {
    s.io.stdout.write(`${kindPrefix(info)}/${name} skipped rollback (current template already matches revision ${target.revision})\n`);
    return;
  }
  const patch = [
    { op: 'test', path: '/metadata/resourceVersion', value: deploy.metadata.resourceVersion },
    { op: 'replace', path: '/spec/template', value: template },
  ];
  await s.client.patch(info, name, patch, 'json', { namespace });
  s.io.stdout.write(`${kindPrefix(info)}/${name} rolled back\n`);
}
