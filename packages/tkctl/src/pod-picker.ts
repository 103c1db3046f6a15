import { registry, selectorString, type KubeObject, type LabelSelectorSpec, type ResourceInfo } from '@tinykube/api';
import { CliError } from './errors.js';
import { resolveType } from './resources.js';
import type { Session } from './session.js';

// Which pod `logs`, `exec` and `port-forward` talk to: POD, pod/POD, or WORKLOAD/NAME (a
// Deployment, ReplicaSet, DaemonSet or Service), for which the first pod its selector matches
// is used (running pods first), as kubectl does.

export function podsInfo(): ResourceInfo {
  const info = registry.get('', 'pods');
  if (!info) throw new Error('the registry has no pods resource');
  return info;
}

export async function pickPod(s: Session, arg: string): Promise<KubeObject> {
  const slash = arg.indexOf('/');
  const pods = podsInfo();
  if (slash < 0) return s.client.get<KubeObject>(pods, arg, { namespace: s.namespace });
  const info = resolveType(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (info === pods) return s.client.get<KubeObject>(pods, name, { namespace: s.namespace });
  const owner = await s.client.get<KubeObject>(info, name, { namespace: s.namespace });
  const spec = (owner.spec ?? {}) as { selector?: LabelSelectorSpec | Record<string, string> };
  const selector = info.kind === 'Service'
    ? Object.entries((spec.selector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',')
    : selectorString(spec.selector as LabelSelectorSpec | undefined);
  if (!selector) throw new CliError('FAILED', `cannot attach to ${info.kind} ${name}: selector is empty`);
  const list = await s.client.listAll<KubeObject>(pods, { namespace: s.namespace, labelSelector: selector });
  if (list.items.length === 0) throw new CliError('NOT_FOUND', `no pods found for ${info.singular} "${name}"`);
  const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
  const sorted = [...list.items].sort((a, b) => Number(phase(b) === 'Running') - Number(phase(a) === 'Running') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (sorted.length > 1) s.io.stderr.write(`Found ${sorted.length} pods, using pod/${sorted[0].metadata.name}\n`);
  return sorted[0];
}

/** The container to use: -c, else the default-container annotation, else the first (with kubectl's notice). */
export function pickContainer(s: Session, pod: KubeObject, requested?: string): string {
  const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
  if (requested) {
    if (!containers.includes(requested)) {
      throw new CliError('NOT_FOUND', `container ${requested} is not valid for pod ${pod.metadata.name}`);
    }
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.includes(annotated)) return annotated;
  if (containers.length > 1) s.io.stderr.write(`Defaulted container "${containers[0]}" out of: ${containers.join(', ')}\n`);
  return containers[0] ?? '';
}
