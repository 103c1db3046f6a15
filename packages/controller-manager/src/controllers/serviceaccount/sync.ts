import type { ServiceAccount } from '@tinykube/api';
import { hasStatusCause, isAlreadyExists } from '@tinykube/api';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';

/** The ServiceAccounts every namespace gets (kube's DefaultServiceAccountsControllerOptions). */
export const SERVICE_ACCOUNTS_TO_ENSURE: readonly string[] = ['default'];

export interface ServiceAccountSyncDeps {
  lister: Lister;
  actions: Actions;
  names?: readonly string[];
}

/**
 * kube's serviceaccounts controller, for one namespace: in an Active namespace, create each ServiceAccount to
 * ensure (`default`) that the cache does not have. AlreadyExists means the cache was behind: fine. A namespace
 * that started terminating refuses the create (cause NamespaceTerminating): fine too, nothing is wanted there.
 */
export async function syncServiceAccounts(deps: ServiceAccountSyncDeps, namespace: string): Promise<SyncResult> {
  const ns = deps.lister.get('namespaces', '', namespace);
  if (!ns || ns.status?.phase !== 'Active') return {};
  const failures: unknown[] = [];
  for (const name of deps.names ?? SERVICE_ACCOUNTS_TO_ENSURE) {
    if (deps.lister.get('serviceaccounts', namespace, name)) continue;
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
    try {
      await deps.actions.create('serviceaccounts', namespace, sa);
    } catch (err) {
      if (!isAlreadyExists(err) && !hasStatusCause(err, 'NamespaceTerminating')) failures.push(err);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `creating service accounts in ${namespace} failed`);
  return {};
}
