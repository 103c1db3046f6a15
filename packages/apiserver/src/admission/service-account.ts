/**
 * ServiceAccount (kube's plugin/pkg/admission/serviceaccount), on pod CREATE only (not subresources, not updates):
 *
 * - a mirror pod (annotation `kubernetes.io/config.mirror`) is never changed, and may not name a service account,
 *   reference a Secret or project a service-account token (403, kube's messages);
 * - spec.serviceAccountName defaults to `default` (and its deprecated alias `serviceAccount` follows);
 * - the ServiceAccount must exist: the watch cache, else a consistent read — retried for `default` (10 tries,
 *   100–200 ms apart), which the serviceaccount controller is expected to create any moment — else 403
 *   `error looking up service account NS/NAME: serviceaccount "NAME" not found`;
 * - unless automountServiceAccountToken is false (the pod's choice wins over the ServiceAccount's), every
 *   container and init container without a mount at /var/run/secrets/kubernetes.io/serviceaccount gets one of a
 *   projected volume `kube-api-access-<5 random chars>` (token, kube-root-ca.crt's ca.crt, the namespace), added
 *   unless the pod already has a `kube-api-access-*` volume;
 * - a pod without imagePullSecrets gets the ServiceAccount's.
 *
 * Not done: the `kubernetes.io/enforce-mountable-secrets` annotation (deprecated in kube).
 */
import {
  DEFAULT_API_TOKEN_MOUNT_PATH,
  forbidden,
  generateNameFrom,
  notFound,
  SERVICE_ACCOUNT_VOLUME_PREFIX,
  serviceAccountTokenVolume,
  type Container,
  type Pod,
  type ServiceAccount,
  type VolumeMount,
} from '@tinykube/api';
import { podReferences } from '../auth/node-authorizer.js';
import { cacheLookups } from '../auth/serviceaccount/setup.js';
import type { Storage } from '../storage/storage.js';
import { isRecord } from '../util.js';
import type { AdmissionPlugin, AdmissionRequest } from './types.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
const MIRROR = 'kubernetes.io/config.mirror';

export interface ServiceAccountGetter {
  /** The ServiceAccount as the watch cache has it. */
  cached(namespace: string, name: string): ServiceAccount | undefined | Promise<ServiceAccount | undefined>;
  /** A consistent read, for one the cache does not have (yet). */
  live(namespace: string, name: string): Promise<ServiceAccount | undefined>;
}

export interface ServiceAccountAdmissionOptions {
  /** waits between live lookups of `default` */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

function refuse(r: AdmissionRequest, why: string): never {
  throw forbidden({ group: r.info.group, resource: r.info.plural }, r.name, why);
}

const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v.filter(isRecord) : []);

function admitMirrorPod(r: AdmissionRequest, pod: Pod): void {
  if (pod.spec.serviceAccountName) refuse(r, 'a mirror pod may not reference service accounts');
  if (podReferences(pod).secrets.size > 0) refuse(r, 'a mirror pod may not reference secrets');
  for (const v of list(pod.spec.volumes)) {
    if (list(v.projected?.sources).some((s) => s.serviceAccountToken !== undefined)) {
      refuse(r, 'a mirror pod may not use ServiceAccountToken volume projections');
    }
  }
}

function shouldAutomount(sa: ServiceAccount, pod: Pod): boolean {
  if (typeof pod.spec.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

function mountToken(pod: Pod, random: () => number): void {
  const volumes = list(pod.spec.volumes);
  const existing = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX));
  const name = existing?.name ?? generateNameFrom(SERVICE_ACCOUNT_VOLUME_PREFIX, random);
  let needed = false;
  const containers: Container[] = [...list(pod.spec.initContainers), ...list(pod.spec.containers)];
  for (const c of containers) {
    const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    if (mounts.some((m) => isRecord(m) && m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
    const mount: VolumeMount = { name, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH };
    c.volumeMounts = [...mounts, mount];
    needed = true;
  }
  if (needed && !existing) pod.spec.volumes = [...(Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []), serviceAccountTokenVolume(name)];
}

export function serviceAccountAdmission(sas: ServiceAccountGetter, o: ServiceAccountAdmissionOptions = {}): AdmissionPlugin {
  const random = o.random ?? Math.random;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** kube's getServiceAccount: the cache, then live reads (more of them for `default`). */
  async function lookup(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const hit = await sas.cached(namespace, name);
    if (hit) return hit;
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
    const intervalMs = 100 + Math.floor(random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(intervalMs);
      const sa = await sas.live(namespace, name);
      if (sa) return sa;
    }
    return undefined;
  }

  return {
    name: 'ServiceAccount',
    async admit(r) {
      if (r.operation !== 'CREATE' || r.subresource !== '' || r.info.group !== '' || r.info.plural !== 'pods' || !r.object) return;
      const pod = r.object as Pod;
      if (!isRecord(pod.spec)) return; // validation reports it
      if (pod.metadata.annotations?.[MIRROR] !== undefined) return admitMirrorPod(r, pod);

      if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      pod.spec.serviceAccount = pod.spec.serviceAccountName;
      const saName = pod.spec.serviceAccountName;
      const where = `${r.namespace}/${saName}`;
      let sa: ServiceAccount | undefined;
      try {
        sa = await lookup(r.namespace, saName);
      } catch (err) {
        refuse(r, `error looking up service account ${where}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!sa) refuse(r, `error looking up service account ${where}: ${notFound({ group: '', resource: 'serviceaccount' }, saName).message}`);

      if (shouldAutomount(sa, pod)) mountToken(pod, random);
      const pullSecrets = list(sa.imagePullSecrets);
      if (list(pod.spec.imagePullSecrets).length === 0 && pullSecrets.length > 0) {
        pod.spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
      }
    },
  };
}

/** The plugin over an apiserver's storage: its watch cache, then etcd. */
export function serviceAccountAdmissionFor(storage: Storage): AdmissionPlugin {
  const lookups = cacheLookups(storage);
  return serviceAccountAdmission({
    cached: (ns, name) => lookups.serviceAccount(ns, name),
    live: async (ns, name) => (await storage.get('', 'serviceaccounts')?.getOrUndefined(ns, name)) as ServiceAccount | undefined,
  });
}
