/**
 * `POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`: answers a TokenRequest with a bound token, as
 * kube's TokenREST.Create does (pkg/registry/core/serviceaccount/storage/token.go):
 *
 * - metadata.name / namespace, when given, must be the ServiceAccount's; metadata.uid, when given, its uid;
 * - the ServiceAccount must exist (404 `serviceaccounts "x" not found`);
 * - spec.expirationSeconds defaults to 3600 and must be within [600, 2^32] (422 on spec.expirationSeconds),
 *   then is capped by --service-account-max-token-expiration (with a warning);
 * - spec.audiences defaults to --api-audiences;
 * - spec.boundObjectRef is a core/v1 Pod (of this ServiceAccount; its node is named too), Secret or Node that
 *   must exist, with the given uid if one is given;
 * - a pod-bound token of 3607 s for the apiserver's audiences is extended to a year (kube's
 *   --service-account-extend-token-expiration), warning after the 3607 s.
 * The answer is the request with name, namespace, uid (the ServiceAccount's) and creationTimestamp filled in,
 * and status {token, expirationTimestamp}.
 */
import { PROJECTED_TOKEN_EXPIRATION_SECONDS, TokenRequestSchema, type Node, type TokenRequest } from '@tinykube/api';
import { badRequest, conflict, internal, invalid, notFound, type StatusCause } from '@tinykube/api';
import { formatTime } from '../../util.js';
import type { TokenIssuer, ObjectRef } from './issuer.js';
import type { ServiceAccountTokenLookups } from './lookups.js';

export const TOKEN_REQUEST_GROUP = 'authentication.k8s.io';
export const TOKEN_REQUEST_API_VERSION = 'authentication.k8s.io/v1';
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
export const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** the duration kubelets ask for projected tokens; kube extends those (pod-bound, apiserver audiences) */
export const EXPIRATION_EXTENSION_SECONDS = 365 * 24 * 3600;

export interface TokenRequestOptions {
  issuer: TokenIssuer;
  lookups: ServiceAccountTokenLookups;
  /** --api-audiences */
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 or absent: no cap */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (kube's default: true) */
  extendExpiration?: boolean;
  /** the extended lifetime (kube: a year, or less when the max expiration is below it) */
  maxExtendedExpirationSeconds?: number;
  clock?: () => Date;
}

export interface TokenRequestResult {
  tokenRequest: TokenRequest;
  /** Warning headers to send (`299 - "<text>"`) */
  warnings: string[];
}

export interface TokenRequestTarget { namespace: string; name: string }

const TOKEN_REQUEST_GR = { group: TOKEN_REQUEST_GROUP, resource: 'TokenRequest' };

function fieldInvalid(field: string, value: unknown, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/** schema.FromAPIVersionAndKind: `apps/v1` → group apps, `v1` or '' → the core group. */
function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function parseBody(body: unknown): TokenRequest {
  const parsed = TokenRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`TokenRequest in version "v1" cannot be handled as a TokenRequest: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid body'}`);
  }
  return parsed.data;
}

export async function requestToken(body: unknown, target: TokenRequestTarget, opts: TokenRequestOptions): Promise<TokenRequestResult> {
  const { namespace, name } = target;
  const req = parseBody(body);
  const meta = req.metadata;
  const warnings: string[] = [];

  if (meta.name && meta.name !== name) {
    throw invalid('TokenRequest', TOKEN_REQUEST_GROUP, name, [fieldInvalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalid('TokenRequest', TOKEN_REQUEST_GROUP, name, [fieldInvalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }

  const sa = await opts.lookups.serviceAccount(namespace, name);
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const saUid = sa.metadata.uid ?? '';
  if (meta.uid && meta.uid !== saUid) {
    throw conflict(TOKEN_REQUEST_GR, name, `the UID in the token request (${meta.uid}) does not match the UID of the service account (${saUid})`);
  }

  const spec = { ...req.spec };
  if (spec.expirationSeconds === undefined) spec.expirationSeconds = DEFAULT_EXPIRATION_SECONDS;
  if (!spec.audiences || spec.audiences.length === 0) spec.audiences = [...opts.apiAudiences];
  // one clock reading for creationTimestamp, iat and status.expirationTimestamp (which is then <= exp)
  const now = (opts.clock ?? (() => new Date()))();

  const causes: StatusCause[] = [];
  if (spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    causes.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes'));
  }
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) {
    causes.push(fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  }
  if (causes.length > 0) throw invalid('TokenRequest', TOKEN_REQUEST_GROUP, '', causes);

  const bound = await boundObjects(spec.boundObjectRef, namespace, name, opts.lookups);

  const max = opts.maxExpirationSeconds ?? 0;
  if (max > 0 && spec.expirationSeconds > max) {
    warnings.push(`requested expiration of ${spec.expirationSeconds} seconds shortened to ${max} seconds`);
    spec.expirationSeconds = max;
  }

  let exp = spec.expirationSeconds;
  let warnAfterSeconds: number | undefined;
  const audiences = spec.audiences;
  const forApiserver = audiences.every((a) => opts.apiAudiences.includes(a));
  if ((opts.extendExpiration ?? true) && bound.pod && exp === PROJECTED_TOKEN_EXPIRATION_SECONDS && forApiserver) {
    warnAfterSeconds = exp;
    exp = opts.maxExtendedExpirationSeconds ?? EXPIRATION_EXTENSION_SECONDS;
  }

  const issued = await opts.issuer.issueToken({
    namespace,
    serviceAccount: { name, uid: saUid },
    audiences,
    expirationSeconds: exp,
    ...bound,
    ...(warnAfterSeconds ? { warnAfterSeconds } : {}),
    now,
  });

  const tokenRequest: TokenRequest = {
    ...req,
    apiVersion: TOKEN_REQUEST_API_VERSION,
    kind: 'TokenRequest',
    metadata: { ...meta, name, namespace, uid: saUid, creationTimestamp: formatTime(now) },
    spec,
    status: {
      token: issued.token,
      expirationTimestamp: formatTime(new Date(Math.floor(now.getTime() / 1000) * 1000 + spec.expirationSeconds * 1000)),
    },
  };
  return { tokenRequest, warnings };
}

interface Bound { pod?: ObjectRef; node?: ObjectRef; secret?: ObjectRef }

/** Resolves spec.boundObjectRef to the refs the token will carry (kube's errors when it cannot). */
async function boundObjects(
  ref: TokenRequest['spec']['boundObjectRef'],
  namespace: string,
  saName: string,
  lookups: ServiceAccountTokenLookups,
): Promise<Bound> {
  if (!ref) return {};
  const kind = ref.kind ?? '';
  const refName = ref.name ?? '';
  const gv = groupVersionOf(ref.apiVersion ?? '');
  if (gv.group !== '' || !['Pod', 'Node', 'Secret'].includes(kind)) {
    throw badRequest(`cannot bind token to object of type ${gv.group}/${gv.version}, Kind=${kind}`);
  }
  if (refName === '') throw badRequest('resource name may not be empty');

  let uid = '';
  const out: Bound = {};
  if (kind === 'Pod') {
    const pod = await lookups.pod(namespace, refName);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, refName);
    if ((pod.spec.serviceAccountName ?? '') !== saName) {
      throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
    }
    uid = pod.metadata.uid ?? '';
    out.pod = { name: refName, uid };
    const nodeName = pod.spec.nodeName ?? '';
    if (nodeName) {
      let node: Node | undefined;
      try {
        node = await lookups.node(nodeName);
      } catch (err) {
        throw internal(err instanceof Error ? err.message : String(err));
      }
      // a pod's node that is gone is still named, without a uid
      out.node = { name: nodeName, uid: node?.metadata.uid ?? '' };
    }
  } else if (kind === 'Node') {
    const node = await lookups.node(refName);
    if (!node) throw notFound({ group: '', resource: 'nodes' }, refName);
    uid = node.metadata.uid ?? '';
    out.node = { name: refName, uid };
  } else {
    const secret = await lookups.secret(namespace, refName);
    if (!secret) throw notFound({ group: '', resource: 'secrets' }, refName);
    uid = secret.metadata.uid ?? '';
    out.secret = { name: refName, uid };
  }
  if (ref.uid && ref.uid !== uid) {
    throw conflict({ group: '', resource: kind }, refName,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return out;
}
