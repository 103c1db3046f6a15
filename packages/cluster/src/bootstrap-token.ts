/** `kubeadm token create`: a node-joining bootstrap token Secret in kube-system, made with the admin's credentials. */
import { BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecret, generateBootstrapToken } from '@tinykube/api';
import type { ApiTarget } from './api-target.js';

/** Creates a new token valid for `ttlMs`; resolves with `<id>.<secret>`. */
export async function createBootstrapToken(api: ApiTarget, o: { ttlMs: number; description?: string; now?: Date }): Promise<string> {
  const t = generateBootstrapToken();
  const secret = bootstrapTokenSecret(t, { expiresAt: new Date((o.now ?? new Date()).getTime() + o.ttlMs), description: o.description });
  const res = await api.fetch(`/api/v1/namespaces/${BOOTSTRAP_TOKEN_NAMESPACE}/secrets`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(secret),
  });
  if (res.status !== 201) throw new Error(`cannot create the bootstrap token Secret: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return `${t.id}.${t.secret}`;
}
