import type { KubeObject } from '@tinykube/api';
import { usageError } from '../errors.js';
import type { Manifest } from '../manifests.js';
import type { Session } from '../session.js';

/**
 * The manifest's object with its namespace decided as kubectl does: the manifest's own, else -n
 * or the context's; a manifest naming another namespace than an explicit -n is refused.
 */
export function placeManifest(s: Session, m: Manifest): { obj: KubeObject; namespace?: string } {
  if (!m.info.namespaced) return { obj: m.object };
  const own = m.object.metadata.namespace;
  if (own && s.namespaceFromFlag && own !== s.namespace) {
    throw usageError(
      `the namespace from the provided object "${own}" does not match the namespace "${s.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  const namespace = own || s.namespace;
  return { obj: { ...m.object, metadata: { ...m.object.metadata, namespace } }, namespace };
}
