import type { TokenRequest } from '@tinykube/api';
import { parseKubeTime, type Clock, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';

// Service-account tokens for the pods of this node (kube's pkg/kubelet/token): asked for through TokenRequest
// (POST .../serviceaccounts/NAME/token), cached per request, handed out again until a refresh is due.

const MAX_TTL_MS = 24 * 3600_000;
const MAX_JITTER_S = 10;

const serviceAccounts = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true } as const;

/** What volumes ask tokens from (the TokenManager, or a fake in tests). */
export interface ServiceAccountTokens {
  getServiceAccountToken(namespace: string, name: string, tr: TokenRequest): Promise<TokenRequest>;
  /** The pod is gone: forget its tokens. */
  deleteServiceAccountToken?(podUid: string): void;
}

/** Sends one TokenRequest for ServiceAccount namespace/name and returns the answer. */
export type TokenRequester = (namespace: string, name: string, tr: TokenRequest) => Promise<TokenRequest>;

/** The TokenRequest subresource through the kubelet's client (the Node authorizer allows its pods' accounts only). */
export function restTokenRequester(client: RestClient): TokenRequester {
  return (namespace, name, tr) => client.create<TokenRequest>(serviceAccounts, tr, { namespace, name, subresource: 'token' });
}

export interface TokenManagerOptions {
  request: TokenRequester;
  clock: Clock;
  log?: Logger;
  /** in [0, 1): the refresh jitter (up to 10 s), as kube's */
  random?: () => number;
}

/** The cache key names everything that makes two requests different, nothing secret (kube's keyFunc). */
function keyOf(namespace: string, name: string, tr: TokenRequest): string {
  const s = tr.spec;
  const ref = s.boundObjectRef ?? {};
  return JSON.stringify([name, namespace, s.audiences ?? [], s.expirationSeconds ?? 0, ref.kind ?? '', ref.apiVersion ?? '', ref.name ?? '', ref.uid ?? '']);
}

/**
 * kube's token Manager:
 * - a cached token is handed out until it is older than 80% of its lifetime or than 24 h (minus a jitter of up
 *   to 10 s), or "issued" in the future (the clock jumped back); then a new one is requested;
 * - when that request fails, the cached token is still handed out while it has not expired (and the error
 *   logged); once expired, or with nothing cached, the call fails;
 * - tokens of a pod are forgotten when the pod goes (deleteServiceAccountToken), expired ones on every call.
 * A token's issue time is its expirationTimestamp minus the requested expirationSeconds, as in kube (the
 * apiserver may have extended the token itself beyond that: the kubelet refreshes on the requested schedule).
 */
export class TokenManager implements ServiceAccountTokens {
  private readonly cache = new Map<string, TokenRequest>();
  private readonly random: () => number;

  constructor(private readonly o: TokenManagerOptions) {
    this.random = o.random ?? Math.random;
  }

  async getServiceAccountToken(namespace: string, name: string, tr: TokenRequest): Promise<TokenRequest> {
    const key = keyOf(namespace, name, tr);
    const cached = this.cache.get(key);
    this.cleanup(); // expired tokens go (this one too, if so: it is still in `cached` for the checks below)
    if (cached && !this.requiresRefresh(cached)) return cached;
    let fresh: TokenRequest;
    try {
      fresh = await this.o.request(namespace, name, tr);
      if (!fresh.status?.token || Number.isNaN(parseKubeTime(fresh.status.expirationTimestamp))) throw new Error('the TokenRequest answer has no token or expirationTimestamp');
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (!cached) throw new Error(`failed to fetch token: ${why}`, { cause: err });
      if (this.expired(cached)) throw new Error(`token ${namespace}/${name} expired and refresh failed: ${why}`, { cause: err });
      this.o.log?.warn({ err, serviceAccount: `${namespace}/${name}` }, 'could not refresh token; using the cached one');
      return cached;
    }
    this.cache.set(key, fresh);
    return fresh;
  }

  /** The pod is gone: its tokens are no longer wanted. */
  deleteServiceAccountToken(podUid: string): void {
    for (const [k, tr] of this.cache) if (tr.spec.boundObjectRef?.uid === podUid) this.cache.delete(k);
  }

  /** How many tokens are cached (tests, metrics). */
  get size(): number {
    return this.cache.size;
  }

  private cleanup(): void {
    for (const [k, tr] of this.cache) if (this.expired(tr)) this.cache.delete(k);
  }

  private expired(tr: TokenRequest): boolean {
    return this.o.clock.now() > parseKubeTime(tr.status?.expirationTimestamp);
  }

  private requiresRefresh(tr: TokenRequest): boolean {
    const ttlS = tr.spec.expirationSeconds;
    if (ttlS === undefined) return false; // kube logs this and keeps the token
    const now = this.o.clock.now();
    const exp = parseKubeTime(tr.status?.expirationTimestamp);
    const iat = exp - ttlS * 1000;
    const jitterMs = Math.floor(this.random() * MAX_JITTER_S) * 1000;
    if (now > iat + MAX_TTL_MS - jitterMs) return true;
    if (now > exp - Math.floor((ttlS * 20) / 100) * 1000 - jitterMs) return true;
    return now < iat;
  }
}
