import { labelSelectorAsSelectorOrNothing, type KubeObject, type LabelSelectorSpec } from '@tinykube/api';
import type { Actions } from './ports.js';
import type { ResourceName, ResourceTypes } from './resources.js';
import { clone, controllerRefOf, ownerRefFor } from './pods.js';

/**
 * client-go's ControllerRefManager: decides which objects (pods of a ReplicaSet, ReplicaSets of a
 * Deployment, ...) an owner controls. Objects it controls that stop matching the selector are released
 * (ownerReference removed); orphans that match are adopted (ownerReference added). Writes are PUTs
 * carrying resourceVersion, so a race with another writer fails and the key is retried.
 */
export async function claimObjects<R extends ResourceName>(
  actions: Actions,
  resource: R,
  owner: KubeObject,
  /** Undefined selects nothing (kube's LabelSelectorAsSelector(nil)); validation requires one anyway. */
  selector: LabelSelectorSpec | undefined,
  candidates: readonly ResourceTypes[R][],
): Promise<ResourceTypes[R][]> {
  const claimed: ResourceTypes[R][] = [];
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  const errors: unknown[] = [];
  const matcher = labelSelectorAsSelectorOrNothing(selector);
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = matcher.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue; // someone else's
      if (matches || ownerDeleting) {
        claimed.push(obj);
        continue;
      }
      try {
        const next = clone(obj);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        await actions.update(resource, next);
      } catch (err) {
        errors.push(err);
      }
      continue;
    }
    // An orphan: adopt it if it matches, unless either side is going away.
    if (!matches || ownerDeleting || obj.metadata.deletionTimestamp) continue;
    try {
      const next = clone(obj);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), ownerRefFor(owner)];
      claimed.push(await actions.update(resource, next));
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}
