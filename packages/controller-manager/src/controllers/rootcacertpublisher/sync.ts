import type { ConfigMap } from '@tinykube/api';
import { hasStatusCause, isNotFound, ROOT_CA_CONFIGMAP } from '@tinykube/api';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** kube's text, word for word. */
export const DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as '
  + 'the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherDeps {
  lister: Lister;
  actions: Actions;
  /** The cluster CA bundle (PEM), from --root-ca-file. */
  rootCA: string;
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const keys = Object.keys(a ?? {});
  return keys.length === Object.keys(b).length && keys.every((k) => a![k] === b[k]);
}

/**
 * kube's root-ca-cert-publisher, for one namespace: ConfigMap `kube-root-ca.crt` with exactly
 * `data: {ca.crt: <CA>}` and the description annotation. Created when missing (a namespace gone or terminating
 * meanwhile is not an error), written back with the cached resourceVersion when its data or annotation drifted;
 * other fields (labels, other annotations, binaryData) are left as they are. Namespaces that are not Active are
 * skipped: their content is being deleted.
 */
export async function syncRootCA(deps: RootCAPublisherDeps, namespace: string): Promise<SyncResult> {
  const ns = deps.lister.get('namespaces', '', namespace);
  if (!ns || ns.status?.phase !== 'Active') return {};
  const data = { 'ca.crt': deps.rootCA };
  const cm = deps.lister.get('configmaps', namespace, ROOT_CA_CONFIGMAP);
  if (!cm) {
    const created: ConfigMap = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
      data,
    };
    try {
      await deps.actions.create('configmaps', namespace, created);
    } catch (err) {
      if (isNotFound(err) || hasStatusCause(err, 'NamespaceTerminating')) return {};
      throw err; // AlreadyExists included: retried until the cache has it, then compared
    }
    return {};
  }
  if (sameData(cm.data, data) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return {};
  const next = clone(cm);
  next.data = data;
  next.metadata.annotations = { ...next.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION };
  await deps.actions.update('configmaps', next);
  return {};
}
