/**
 * Authenticates bound ServiceAccount tokens (`Authorization: Bearer <jwt>`), as kube's JWT token
 * authenticator and its validator do (pkg/serviceaccount/jwt.go, claims.go):
 *
 * 1. only a compact JWT whose *unverified* `iss` is one of our issuers is ours; anything else is `undefined`,
 *    so the next authenticator may try;
 * 2. the signature must verify with a key of the token's `kid` (every key when it has none);
 * 3. `aud` must intersect the audiences asked for (a TokenReview's spec.audiences, else --api-audiences);
 * 4. nbf / exp / iat with go-jose's 60 s leeway;
 * 5. the ServiceAccount must still exist with the token's uid, and so must a bound secret, pod or node.
 *
 * Failures are `{ error }` with kube's messages. Success is the ServiceAccount's user, with the groups
 * system:serviceaccounts, system:serviceaccounts:NS and system:authenticated (kube's chain adds the last),
 * and kube's extras (pod-name/pod-uid, node-name/node-uid, credential-id `JTI=<jti>`).
 */
import { compactVerify } from 'jose';
import { notFound } from '@tinykube/api';
import { isRecord } from '../../util.js';
import { bearerToken } from '../bearer.js';
import type { AuthnRequest, AuthnResult, Authenticator, UserInfo } from '../types.js';
import { ServiceAccountClaimsSchema, type ServiceAccountClaims } from './claims.js';
import { serviceAccountUsername } from './issuer.js';
import { PublicKeySet, type PublicKey } from './keys.js';
import { deletedBeforeLeeway, LEEWAY_SECONDS, type ServiceAccountTokenLookups } from './lookups.js';

/** An AuthnRequest that may name the audiences to check against (kube carries them in the request context). */
export interface AudienceRequest extends AuthnRequest {
  audiences?: string[];
}

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export const TOKEN_INVALIDATED = 'service account token has been invalidated';
/** go-jose's ErrCryptoFailure, what kube reports for a signature that does not verify */
export const CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';

export interface ServiceAccountAuthenticatorOptions {
  /** every --service-account-issuer (the first one signs; the others are still accepted) */
  issuers: string[];
  /** the --service-account-key-file keys */
  keys: PublicKeySet | readonly PublicKey[];
  /** --api-audiences; default: the first issuer */
  apiAudiences?: string[];
  lookups: ServiceAccountTokenLookups;
  clock?: () => Date;
}

/** Go's %q of a []string: `["a" "b"]`. */
function quoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonSegment(seg: string): unknown {
  if (!B64URL.test(seg)) return undefined;
  try {
    return JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The token's `kid` when it is a compact JWS from one of `issuers` (unverified); undefined when it is not ours. */
function ourToken(token: string, issuers: ReadonlySet<string>): { kid?: string } | undefined {
  if (token.trim().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const payload = decodeJsonSegment(parts[1]!);
  if (!isRecord(payload) || typeof payload.iss !== 'string' || !issuers.has(payload.iss)) return undefined;
  const header = decodeJsonSegment(parts[0]!);
  if (!isRecord(header) || typeof header.alg !== 'string') return undefined;
  return typeof header.kid === 'string' && header.kid !== '' ? { kid: header.kid } : {};
}

const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

function algorithmsFor(key: PublicKey): string[] {
  return key.key.asymmetricKeyType === 'rsa' ? RSA_ALGORITHMS : [key.alg];
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several distinct ones bracketed. */
function aggregate(messages: string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? distinct[0]! : `[${distinct.join(', ')}]`;
}

export class ServiceAccountTokenAuthenticator implements Authenticator {
  readonly name = 'serviceaccount';
  private readonly issuers: ReadonlySet<string>;
  private readonly keys: PublicKeySet;
  private readonly apiAudiences: string[];
  private readonly lookups: ServiceAccountTokenLookups;
  private readonly clock: () => Date;

  constructor(opts: ServiceAccountAuthenticatorOptions) {
    if (opts.issuers.length === 0) throw new Error('at least one service account issuer is required');
    this.issuers = new Set(opts.issuers);
    this.keys = opts.keys instanceof PublicKeySet ? opts.keys : new PublicKeySet(opts.keys);
    this.apiAudiences = opts.apiAudiences && opts.apiAudiences.length > 0 ? [...opts.apiAudiences] : [opts.issuers[0]!];
    this.lookups = opts.lookups;
    this.clock = opts.clock ?? (() => new Date());
  }

  async authenticate(req: AudienceRequest): Promise<AuthnResult> {
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    const ours = ourToken(token, this.issuers);
    if (!ours) return undefined;

    const keys = this.keys.forKeyId(ours.kid);
    if (keys.length === 0) return { error: 'invalid signature, no keys found' };
    let payload: Uint8Array | undefined;
    const failures: string[] = [];
    for (const key of keys) {
      try {
        payload = (await compactVerify(token, key.key, { algorithms: algorithmsFor(key) })).payload;
        break;
      } catch {
        failures.push(CRYPTO_FAILURE);
      }
    }
    if (!payload) return { error: aggregate(failures) };

    const parsed = ServiceAccountClaimsSchema.safeParse(decodeJson(payload));
    if (!parsed.success) return { error: 'service account token claims could not be parsed' };
    const claims = parsed.data;
    if (!claims.iss || !this.issuers.has(claims.iss)) return { error: `token issuer ${JSON.stringify(claims.iss ?? '')} is invalid` };

    // a token without audiences (legacy) is good for the apiserver's own audiences only
    const tokenAudiences = claims.aud && claims.aud.length > 0 ? claims.aud : this.apiAudiences;
    const requested = req.audiences ?? this.apiAudiences;
    const audiences = tokenAudiences.filter((a) => requested.includes(a));
    if (audiences.length === 0) {
      return { error: `token audiences ${quoteList(tokenAudiences)} is invalid for the target audiences ${quoteList(requested)}` };
    }

    const user = await this.validate(claims, this.clock());
    return typeof user === 'string' ? { error: user } : { user, audiences };
  }

  /** claims.go's Validate: time checks, then the objects the token is bound to. A string is the error. */
  private async validate(claims: ServiceAccountClaims, now: Date): Promise<UserInfo | string> {
    const t = Math.floor(now.getTime() / 1000);
    if (claims.nbf !== undefined && t + LEEWAY_SECONDS < claims.nbf) return 'service account token is not valid yet';
    if (claims.exp !== undefined && t - LEEWAY_SECONDS > claims.exp) return 'service account token has expired';
    if (claims.iat !== undefined && t + LEEWAY_SECONDS < claims.iat) return 'service account token is issued in the future';

    const kube = claims['kubernetes.io'] ?? {};
    const namespace = kube.namespace ?? '';
    const saName = kube.serviceaccount?.name ?? '';
    const saUid = kube.serviceaccount?.uid ?? '';
    const sa = await this.lookups.serviceAccount(namespace, saName);
    if (!sa) return notFound({ group: '', resource: 'serviceaccounts' }, saName).message;
    if ((sa.metadata.uid ?? '') !== saUid) return `service account UID (${sa.metadata.uid ?? ''}) does not match claim (${saUid})`;
    if (deletedBeforeLeeway(sa, now)) return `service account ${namespace}/${saName} has been deleted`;

    if (kube.secret) {
      const secret = await this.lookups.secret(namespace, kube.secret.name ?? '');
      if (!secret) return TOKEN_INVALIDATED;
      const uid = secret.metadata.uid ?? '';
      if ((kube.secret.uid ?? '') !== uid) return `secret UID (${uid}) does not match service account secret ref claim (${kube.secret.uid ?? ''})`;
      if (deletedBeforeLeeway(secret, now)) return TOKEN_INVALIDATED;
    }

    let podName = '';
    let podUid = '';
    if (kube.pod) {
      const pod = await this.lookups.pod(namespace, kube.pod.name ?? '');
      if (!pod) return TOKEN_INVALIDATED;
      const uid = pod.metadata.uid ?? '';
      if ((kube.pod.uid ?? '') !== uid) return `pod UID (${uid}) does not match service account pod ref claim (${kube.pod.uid ?? ''})`;
      if (deletedBeforeLeeway(pod, now)) return TOKEN_INVALIDATED;
      podName = kube.pod.name ?? '';
      podUid = kube.pod.uid ?? '';
    }

    let nodeName = '';
    let nodeUid = '';
    if (kube.node) {
      // a pod-bound token only reports its node; a node-bound one needs the node to still be there
      if (!kube.pod) {
        const node = await this.lookups.node(kube.node.name ?? '');
        if (!node) return TOKEN_INVALIDATED;
        const uid = node.metadata.uid ?? '';
        if ((kube.node.uid ?? '') !== uid) return `node UID (${uid}) does not match service account node ref claim (${kube.node.uid ?? ''})`;
        if (deletedBeforeLeeway(node, now)) return TOKEN_INVALIDATED;
      }
      nodeName = kube.node.name ?? '';
      nodeUid = kube.node.uid ?? '';
    }

    const user: UserInfo = {
      username: serviceAccountUsername(namespace, saName),
      uid: saUid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    };
    const extra: Record<string, string[]> = {};
    if (podName && podUid) {
      extra[EXTRA_POD_NAME] = [podName];
      extra[EXTRA_POD_UID] = [podUid];
    }
    if (claims.jti) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
    if (nodeName) {
      extra[EXTRA_NODE_NAME] = [nodeName];
      if (nodeUid) extra[EXTRA_NODE_UID] = [nodeUid];
    }
    if (Object.keys(extra).length > 0) user.extra = extra;
    return user;
  }
}

function decodeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
