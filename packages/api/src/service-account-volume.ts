import type { Volume } from './schemas/pod.js';

/** The names kube gives the pieces of a pod's API access (plugin/pkg/admission/serviceaccount, rootcacertpublisher). */
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The ConfigMap the root-CA publisher keeps in every namespace. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/**
 * What kubelets ask for (kube's WarnOnlyBoundTokenExpirationSeconds): the apiserver may extend such tokens,
 * warning once they are older than this.
 */
export const PROJECTED_TOKEN_EXPIRATION_SECONDS = 3607;

/** The projected volume kube mounts for API access (TokenVolumeSource): mode 0644 spelled out, as kube does. */
export function serviceAccountTokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: PROJECTED_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}
