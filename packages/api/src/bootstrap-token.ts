/**
 * Bootstrap tokens (k8s.io/cluster-bootstrap): `<id>.<secret>` bearer tokens kept as Secrets
 * `kube-system/bootstrap-token-<id>` of type bootstrap.kubernetes.io/token, used by joining nodes to authenticate
 * (usage-bootstrap-authentication) and to check the cluster-info ConfigMap's detached JWS signatures
 * (usage-bootstrap-signing). Shared by the apiserver's authenticator, the bootstrapsigner and tokencleaner
 * controllers, and `join` discovery.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Secret } from './schemas/config.js';

export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
export const BOOTSTRAP_KEYS = {
  tokenId: 'token-id',
  tokenSecret: 'token-secret',
  expiration: 'expiration',
  extraGroups: 'auth-extra-groups',
  usageAuthentication: 'usage-bootstrap-authentication',
  usageSigning: 'usage-bootstrap-signing',
  description: 'description',
} as const;

/** kube-public/cluster-info: the kubeconfig (server + CA) a joining node discovers, signed with each token. */
export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_NAME = 'cluster-info';
export const CLUSTER_INFO_KUBECONFIG_KEY = 'kubeconfig';
export const JWS_SIGNATURE_PREFIX = 'jws-kubeconfig-';

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

export interface BootstrapToken { id: string; secret: string }

/** `abcdef.0123456789abcdef` → its id and secret; undefined for anything else. */
export function parseBootstrapToken(token: string): BootstrapToken | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** A new random token, as `kubeadm token generate` makes them. */
export function generateBootstrapToken(): BootstrapToken {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number) => Array.from({ length: n }, () => chars[randomInt(chars.length)]).join('');
  return { id: pick(6), secret: pick(16) };
}

export const bootstrapTokenSecretName = (id: string): string => `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;

/** kubeadm's group for node tokens: kube's and kubeadm's default RBAC let it create and auto-approve kubelet CSRs. */
export const KUBEADM_NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

/** A node-joining token's Secret as `kubeadm token create` makes it; without `expiresAt` it never expires. */
export function bootstrapTokenSecret(t: BootstrapToken, o: { expiresAt?: Date; description?: string } = {}): Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    metadata: { name: bootstrapTokenSecretName(t.id), namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    stringData: {
      [BOOTSTRAP_KEYS.tokenId]: t.id, [BOOTSTRAP_KEYS.tokenSecret]: t.secret,
      [BOOTSTRAP_KEYS.usageAuthentication]: 'true', [BOOTSTRAP_KEYS.usageSigning]: 'true', [BOOTSTRAP_KEYS.extraGroups]: KUBEADM_NODE_TOKEN_GROUP,
      ...(o.expiresAt ? { [BOOTSTRAP_KEYS.expiration]: o.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      ...(o.description ? { [BOOTSTRAP_KEYS.description]: o.description } : {}),
    },
  };
}

/** A data key of the Secret, decoded ('' when absent). */
export function bootstrapSecretData(secret: Secret, key: string): string {
  const v = secret.data?.[key];
  return v === undefined ? '' : Buffer.from(v, 'base64').toString('utf8');
}

/** When the token expires (undefined: never); an unparseable expiration counts as already expired, as in kube. */
export function bootstrapTokenExpiration(secret: Secret): { expired: (now: Date) => boolean; at?: Date } {
  const raw = bootstrapSecretData(secret, BOOTSTRAP_KEYS.expiration);
  if (raw === '') return { expired: () => false };
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || !Number.isFinite(t)) return { expired: () => true, at: new Date(0) };
  return { expired: (now) => now.getTime() > t, at: new Date(t) };
}

/** kube's GetGroups: system:bootstrappers plus valid auth-extra-groups, sorted and deduplicated; throws on an invalid one. */
export function bootstrapTokenGroups(secret: Secret): string[] {
  const groups = new Set([BOOTSTRAP_DEFAULT_GROUP]);
  const extra = bootstrapSecretData(secret, BOOTSTRAP_KEYS.extraGroups);
  if (extra !== '') {
    for (const g of extra.split(',')) {
      if (!GROUP_RE.test(g)) throw new Error(`bootstrap group ${JSON.stringify(g)} is invalid (must match ${GROUP_RE.source})`);
      groups.add(g);
    }
  }
  return [...groups].sort();
}

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * kube's ComputeDetachedSignature: a compact JWS (HS256, `kid` = token id, key = token secret) of `content`, with
 * the payload left out: `<header>..<signature>`. The header is go-jose's, byte for byte, so kubeadm verifies ours.
 */
export function computeDetachedSignature(content: string, tokenId: string, tokenSecret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  const signature = createHmac('sha256', tokenSecret).update(`${header}.${b64url(content)}`).digest('base64url');
  return `${header}..${signature}`;
}

/** kube's DetachedTokenIsValid. */
export function detachedSignatureValid(detached: string, content: string, tokenId: string, tokenSecret: string): boolean {
  return sameSecret(detached, computeDetachedSignature(content, tokenId, tokenSecret));
}
