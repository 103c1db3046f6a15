import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, bootstrapTokenExpiration } from '@tinykube/api';
import { isConflict } from '@tinykube/api';
import type { Actions, Lister, Now, SyncResult } from '../../core/ports.js';
import { splitKey } from '../../core/resources.js';

export interface TokenCleanerDeps {
  lister: Lister;
  actions: Actions;
  now: Now;
}

/**
 * kube's tokencleaner (pkg/controller/bootstrap/tokencleaner.go), for one Secret: a bootstrap token Secret in
 * kube-system whose expiration has passed (or cannot be read) is deleted, guarded by its uid; one that will expire
 * is looked at again then. A conflict means the Secret was replaced meanwhile: not ours to delete.
 */
export async function syncTokenCleaner(deps: TokenCleanerDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  if (namespace !== BOOTSTRAP_TOKEN_NAMESPACE) return {};
  const s = deps.lister.get('secrets', namespace, name);
  if (!s || s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return {};
  const now = new Date(deps.now());
  const exp = bootstrapTokenExpiration(s);
  if (exp.expired(now)) {
    try {
      await deps.actions.delete('secrets', namespace, name, { uid: s.metadata.uid });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    return {};
  }
  return exp.at ? { requeueAfterMs: exp.at.getTime() - now.getTime() + 1 } : {};
}
