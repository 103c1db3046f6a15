/**
 * From the apiserver's service-account flags to the pieces that use them: the JWT authenticator, the TokenRequest
 * handler (serviceaccounts/NAME/token), TokenReview, and the OIDC discovery documents — all reading the watch caches.
 */
import type { Node, Pod, Secret, ServiceAccount } from '@tinykube/api';
import type { Logger } from 'pino';
import type { Target } from '../../handlers/common.js';
import { handleTokenRequest } from '../../handlers/subresources.js';
import type { RequestContext } from '../../http.js';
import type { Storage } from '../../storage/storage.js';
import type { Authenticator, AuthnRequest, AuthnResult } from '../types.js';
import { ServiceAccountTokenAuthenticator } from './authenticator.js';
import { TokenIssuer } from './issuer.js';
import { loadPublicKeys, loadSigningKey, type SigningKey } from './keys.js';
import type { ServiceAccountTokenLookups } from './lookups.js';
import { JWKS_CONTENT_TYPE, JWKS_PATH, OIDC_CACHE_CONTROL, OPENID_CONFIG_CONTENT_TYPE, OPENID_CONFIG_PATH, openIdDocuments } from './oidc.js';
import { reviewToken } from './token-review.js';

export interface ServiceAccountFlags {
  serviceAccountIssuer: string[];
  serviceAccountKeyFile: string[];
  serviceAccountSigningKeyFile?: string;
  apiAudiences?: string;
  /** seconds */
  serviceAccountMaxTokenExpiration?: number;
  serviceAccountJwksUri?: string;
}

export interface ServiceAccountTokens {
  authenticator(storage: Storage): Authenticator;
  /** The TokenRequest handler (only with a signing key). */
  tokenRequest?(storage: Storage): (ctx: RequestContext, t: Target) => Promise<void>;
  /** TokenReview over the token authenticators (never anonymous). */
  reviewToken(authenticators: Authenticator[]): (body: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** GET documents by path: /.well-known/openid-configuration and /openid/v1/jwks. */
  documents: Map<string, { body: string; contentType: string; cacheControl: string }>;
}

/** The caches as the token code reads them. */
export function cacheLookups(storage: Storage): ServiceAccountTokenLookups {
  const get = <T>(plural: string, ns: string | undefined, name: string) =>
    storage.get('', plural)?.cache.get(storage.keys.objectKey(plural, ns, name))?.obj as T | undefined;
  return {
    serviceAccount: (ns, name) => get<ServiceAccount>('serviceaccounts', ns, name),
    pod: (ns, name) => get<Pod>('pods', ns, name),
    secret: (ns, name) => get<Secret>('secrets', ns, name),
    node: (name) => get<Node>('nodes', undefined, name),
  };
}

export async function serviceAccountTokens(flags: ServiceAccountFlags, log: Logger): Promise<ServiceAccountTokens | undefined> {
  if (flags.serviceAccountIssuer.length === 0) {
    if (flags.serviceAccountSigningKeyFile || flags.serviceAccountKeyFile.length > 0) throw new Error('--service-account-issuer is required with service-account keys');
    return undefined;
  }
  const signing: SigningKey | undefined = flags.serviceAccountSigningKeyFile ? await loadSigningKey(flags.serviceAccountSigningKeyFile) : undefined;
  // without --service-account-key-file the signing key verifies (kube falls back to the serving key instead)
  const keyFiles = flags.serviceAccountKeyFile.length > 0 ? flags.serviceAccountKeyFile : flags.serviceAccountSigningKeyFile ? [flags.serviceAccountSigningKeyFile] : [];
  if (keyFiles.length === 0) throw new Error('--service-account-key-file or --service-account-signing-key-file is required with --service-account-issuer');
  const keys = await loadPublicKeys(keyFiles);
  const issuers = flags.serviceAccountIssuer;
  const apiAudiences = flags.apiAudiences ? flags.apiAudiences.split(',').map((a) => a.trim()).filter(Boolean) : [issuers[0]!];
  const documents: ServiceAccountTokens['documents'] = new Map();
  try {
    const d = openIdDocuments({ issuer: issuers[0]!, jwksUri: flags.serviceAccountJwksUri, keys });
    documents.set(OPENID_CONFIG_PATH, { body: d.configurationJson, contentType: OPENID_CONFIG_CONTENT_TYPE, cacheControl: OIDC_CACHE_CONTROL });
    documents.set(JWKS_PATH, { body: d.jwksJson, contentType: JWKS_CONTENT_TYPE, cacheControl: OIDC_CACHE_CONTROL });
  } catch (err) {
    log.warn({ reason: (err as Error).message }, 'service-account issuer discovery is not served');
  }
  const issuer = signing ? new TokenIssuer({ issuer: issuers[0]!, signingKey: signing }) : undefined;
  return {
    authenticator: (storage) => new ServiceAccountTokenAuthenticator({ issuers, keys, apiAudiences, lookups: cacheLookups(storage) }),
    tokenRequest: issuer ? (storage) => (ctx, t) => handleTokenRequest(ctx, t, {
      issuer, lookups: cacheLookups(storage), apiAudiences, maxExpirationSeconds: flags.serviceAccountMaxTokenExpiration,
    }) : undefined,
    reviewToken: (authenticators) => async (body) => {
      const authenticate = async (req: AuthnRequest): Promise<AuthnResult> => {
        const errors: string[] = [];
        for (const a of authenticators) {
          const r = await a.authenticate(req);
          if (r === undefined) continue;
          if ('error' in r) { errors.push(r.error); continue; }
          return r;
        }
        if (errors.length === 0) return undefined;
        return { error: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` };
      };
      return await reviewToken(body, authenticate, apiAudiences) as unknown as Record<string, unknown>;
    },
    documents,
  };
}
