import {
  BOOTSTRAP_KEYS, BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_PREFIX, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapSecretData,
  bootstrapTokenExpiration, CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, computeDetachedSignature,
  JWS_SIGNATURE_PREFIX, bootstrapTokenSecret, bootstrapTokenSecretName, type BootstrapToken, type ConfigMap, type Secret,
} from '@tinykube/api';
import type { Actions, Lister, Now, SyncResult } from '../../core/ports.js';
import { clone } from '../../core/pods.js';

export interface BootstrapSignerDeps {
  lister: Lister;
  actions: Actions;
  now: Now;
  /** What cluster-info is made from when it is missing (kubeadm makes it at init): --cluster-info-server, --root-ca-file. */
  clusterInfo?: { server: string; caPem: string };
  /** A token whose Secret is made when missing (kubeadm init's token; never expires): --bootstrap-token-file. */
  token?: BootstrapToken;
}

/** The kubeconfig kubeadm puts in cluster-info: one nameless cluster (server + CA), no users or contexts. */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return [
    'apiVersion: v1', 'clusters:', '- cluster:', `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`, `    server: ${server}`,
    '  name: ""', 'contexts: null', 'current-context: ""', 'kind: Config', 'preferences: {}', 'users: null', '',
  ].join('\n');
}

/** kube's validateSecretForSigning: the token's id and secret when it may sign now, with when that ends. */
function signingToken(s: Secret, now: Date): { id: string; secret: string; expiresAt?: Date } | undefined {
  if (s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  const id = bootstrapSecretData(s, BOOTSTRAP_KEYS.tokenId);
  const secret = bootstrapSecretData(s, BOOTSTRAP_KEYS.tokenSecret);
  if (id === '' || s.metadata.name !== `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}` || secret === '') return undefined;
  const exp = bootstrapTokenExpiration(s);
  if (exp.expired(now) || bootstrapSecretData(s, BOOTSTRAP_KEYS.usageSigning) !== 'true') return undefined;
  return { id, secret, expiresAt: exp.at };
}

/**
 * kube's bootstrapsigner (pkg/controller/bootstrap/bootstrapsigner.go), one key for the one ConfigMap
 * kube-public/cluster-info: its `kubeconfig` is signed with every bootstrap token marked usage-bootstrap-signing,
 * as `jws-kubeconfig-<token-id>` (a detached JWS); signatures of tokens gone or expired are removed. The
 * ConfigMap is written only when a signature changed. Requeued at the next token expiry, so an expired token's
 * signature goes even before tokencleaner deletes its Secret.
 */
export async function syncBootstrapSigner(deps: BootstrapSignerDeps): Promise<SyncResult> {
  const now = new Date(deps.now());
  if (deps.token && !deps.lister.get('secrets', BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(deps.token.id))) {
    // the new Secret's event requeues this key: it is signed with on the next pass
    await deps.actions.create('secrets', BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecret(deps.token, { description: 'tinykube: --bootstrap-token-file of the controller-manager' }));
  }
  let cm = deps.lister.get('configmaps', CLUSTER_INFO_NAMESPACE, CLUSTER_INFO_NAME);
  if (!cm) {
    if (!deps.clusterInfo) return {};
    const fresh: ConfigMap = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLUSTER_INFO_NAME, namespace: CLUSTER_INFO_NAMESPACE },
      data: { [CLUSTER_INFO_KUBECONFIG_KEY]: clusterInfoKubeconfig(deps.clusterInfo.server, deps.clusterInfo.caPem) },
    };
    cm = await deps.actions.create('configmaps', CLUSTER_INFO_NAMESPACE, fresh);
  }
  const content = cm.data?.[CLUSTER_INFO_KUBECONFIG_KEY];
  if (content === undefined) return {};
  const data: Record<string, string> = {};
  const old = new Map<string, string>();
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    if (k.startsWith(JWS_SIGNATURE_PREFIX)) old.set(k.slice(JWS_SIGNATURE_PREFIX.length), v); else data[k] = v;
  }
  let changed = false;
  let next: number | undefined;
  for (const s of deps.lister.list('secrets', BOOTSTRAP_TOKEN_NAMESPACE)) {
    const t = signingToken(s, now);
    if (!t) continue;
    if (t.expiresAt) next = Math.min(next ?? Infinity, t.expiresAt.getTime() - now.getTime() + 1);
    const sig = computeDetachedSignature(content, t.id, t.secret);
    if (old.get(t.id) !== sig) changed = true;
    old.delete(t.id);
    data[`${JWS_SIGNATURE_PREFIX}${t.id}`] = sig;
  }
  if (old.size > 0) changed = true;
  if (changed) {
    const updated = clone(cm);
    updated.data = data;
    await deps.actions.update('configmaps', updated);
  }
  return next === undefined ? {} : { requeueAfterMs: next };
}
