import { registry } from '@tinykube/api';
import type { CollectionTarget } from '../core/ports.js';
import { defaultNamespacedResources } from '../controllers/namespace/sync.js';

/** Workload owners first so their dependents are not re-created while we delete; events last. */
const ORDER = ['deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs'];
const rank = (plural: string): number => (ORDER.includes(plural) ? ORDER.indexOf(plural) : plural === 'events' ? 100 : 50);

/** Every namespaced, collection-deletable resource in @tinykube/api's registry. */
export function namespacedResources(): readonly CollectionTarget[] {
  const infos = registry.all().filter((i) => i.namespaced && i.verbs.includes('deletecollection'));
  if (infos.length === 0) return defaultNamespacedResources;
  return infos
    .map((i) => ({ group: i.group, version: i.version, plural: i.plural }))
    .sort((a, b) => rank(a.plural) - rank(b.plural));
}
