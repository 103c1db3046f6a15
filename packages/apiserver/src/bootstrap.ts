/**
 * What every cluster has from the start (Kubernetes' bootstrap controllers): the namespaces default,
 * kube-system, kube-public and kube-node-lease, and in `default` the `kubernetes` Service (ClusterIP = the
 * first address of the service range, port 443 "https") whose Endpoints point at this apiserver.
 * Idempotent: existing objects are kept (the Endpoints are corrected when they point elsewhere).
 */
import type { KubeObject } from '@tinykube/api';
import type { Logger } from 'pino';
import { firstServiceIp } from './allocation/allocator.js';
import { isApiError } from '@tinykube/api';
import type { Storage } from './storage/storage.js';
import { deepEqual } from '@tinykube/api';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(storage: Storage, plural: string, namespace: string | undefined, obj: KubeObject): Promise<void> {
  const store = storage.get('', plural)!;
  // look first: a create would reserve the Service's fixed ClusterIP before noticing the Service exists
  if (await store.getOrUndefined(namespace, obj.metadata.name!)) return;
  try {
    await store.create(namespace, obj, { dryRun: false });
  } catch (err) {
    if (isApiError(err) && err.reason === 'AlreadyExists') return;
    throw err;
  }
}

export async function bootstrap(storage: Storage, advertise: { address: string; port: number }, log: Logger): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(storage, 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  const ip = firstServiceIp(storage.serviceRange);
  await ensure(storage, 'services', 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: advertise.port }], sessionAffinity: 'None' },
  });
  const subsets = [{ addresses: [{ ip: advertise.address }], ports: [{ name: 'https', port: advertise.port, protocol: 'TCP' }] }];
  const endpoints = storage.get('', 'endpoints')!;
  const existing = await endpoints.getOrUndefined('default', 'kubernetes');
  if (!existing) {
    await ensure(storage, 'endpoints', 'default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets,
    });
  } else if (!deepEqual(existing.subsets, subsets)) {
    await endpoints.update('default', 'kubernetes', (cur) => ({ ...cur, subsets }), { dryRun: false });
  }
  log.info({ namespaces: SYSTEM_NAMESPACES, kubernetesServiceIp: ip }, 'bootstrap objects in place');
}
