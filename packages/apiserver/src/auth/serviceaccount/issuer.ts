/**
 * Mints bound ServiceAccount tokens with kube's claims (pkg/serviceaccount/claims.go + jwt.go):
 *
 *   header  {"alg":"RS256"|"ES256"|…,"kid":"<key id>"}
 *   payload {"aud":[…],"exp":…,"iat":…,"iss":"…","jti":"<uuid>",
 *            "kubernetes.io":{"namespace":"ns","node":{…},"pod":{…},"secret":{…},"serviceaccount":{"name":"…","uid":"…"},"warnafter":…},
 *            "nbf":…,"sub":"system:serviceaccount:ns:name"}
 *
 * Keys are in the order go-jose writes them (it signs a merged map, so sorted). A token is bound to at most
 * one of pod or secret or node, except that a pod-bound token also names the pod's node.
 */
import { randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { formatTime } from '../../util.js';
import type { PrivateClaims, ServiceAccountClaims } from './claims.js';
import type { SigningKey } from './keys.js';

/** A bound object as the token names it; an empty uid is left out, as kube's `omitempty` does. */
export type ObjectRef = { name: string; uid?: string };

export interface IssueTokenInput {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
  pod?: ObjectRef;
  node?: ObjectRef;
  secret?: ObjectRef;
  /** kube's warnafter: the token is used past this many seconds only with a stale-token warning */
  warnAfterSeconds?: number;
  /** the issuing instant; defaults to the issuer's clock (pass it to share one reading with a caller) */
  now?: Date;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, iat + expirationSeconds */
  expirationTimestamp: string;
  jti: string;
}

export interface TokenIssuerOptions {
  /** the first --service-account-issuer: the `iss` of every token minted here */
  issuer: string;
  signingKey: SigningKey;
  clock?: () => Date;
  /** jti generator (uuid v4 by default) */
  newId?: () => string;
}

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

function ref(r: ObjectRef): ObjectRef {
  return r.uid ? { name: r.name, uid: r.uid } : { name: r.name };
}

export class TokenIssuer {
  readonly issuer: string;
  private readonly key: SigningKey;
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(opts: TokenIssuerOptions) {
    this.issuer = opts.issuer;
    this.key = opts.signingKey;
    this.clock = opts.clock ?? (() => new Date());
    this.newId = opts.newId ?? randomUUID;
  }

  async issueToken(input: IssueTokenInput): Promise<IssuedToken> {
    if (input.secret && (input.pod || input.node)) throw new Error('internal error, token can only be bound to one object type');
    const nowMs = (input.now ?? this.clock()).getTime();
    const now = Math.floor(nowMs / 1000);
    const exp = now + input.expirationSeconds;
    const jti = this.newId();

    const kube: PrivateClaims = { namespace: input.namespace };
    if (input.node) kube.node = ref(input.node);
    if (input.pod) kube.pod = ref(input.pod);
    if (input.secret) kube.secret = ref(input.secret);
    kube.serviceaccount = { name: input.serviceAccount.name, uid: input.serviceAccount.uid };
    if (input.warnAfterSeconds) kube.warnafter = now + input.warnAfterSeconds;

    const claims: ServiceAccountClaims = {
      aud: [...input.audiences],
      exp,
      iat: now,
      iss: this.issuer,
      jti,
      'kubernetes.io': kube,
      nbf: now,
      sub: serviceAccountUsername(input.namespace, input.serviceAccount.name),
    };
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.keyId })
      .sign(this.key.privateKey);
    return { token, expirationTimestamp: formatTime(new Date(exp * 1000)), jti };
  }
}
