/**
 * The service-account issuer's OIDC discovery documents (pkg/serviceaccount/openidmetadata.go):
 * `/.well-known/openid-configuration` and the JWKS at `/openid/v1/jwks`, both rendered once at startup
 * from the verification keys. kube serves them with `Cache-Control: public, max-age=3600` and lets
 * the group system:service-account-issuer-discovery read them (RBAC: nonResourceURLs, verb get).
 */
import type { PublicKey, SigningAlgorithm } from './keys.js';

export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
export const OIDC_MAX_AGE_SECONDS = 3600;
export const OIDC_CACHE_CONTROL = `public, max-age=${OIDC_MAX_AGE_SECONDS}`;
export const OPENID_CONFIG_CONTENT_TYPE = 'application/json';
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json';

export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
}

/** A public JWK in go-jose's member order. */
export interface Jwk {
  use: 'sig';
  kty: string;
  kid: string;
  crv?: string;
  alg: SigningAlgorithm;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

export interface Jwks { keys: Jwk[] }

export interface OidcOptions {
  /** the first --service-account-issuer; must be an https URL without query or fragment */
  issuer: string;
  /** --service-account-jwks-uri: the whole URI, https */
  jwksUri?: string;
  /** host[:port] the apiserver is reached at; the JWKS URI is then https://<it>/openid/v1/jwks */
  externalAddress?: string;
  keys: readonly PublicKey[];
}

export interface OidcDocuments {
  configuration: OpenIdConfiguration;
  jwks: Jwks;
  /** pre-rendered bodies, as kube serves them */
  configurationJson: string;
  jwksJson: string;
}

/** The public JWK of a verification key, members in go-jose's order (use, kty, kid, crv, alg, x, y, n, e). */
export function jwkOf(key: PublicKey): Jwk {
  const raw = key.key.export({ format: 'jwk' });
  if (raw.kty === 'EC') return { use: 'sig', kty: 'EC', kid: key.keyId, crv: raw.crv, alg: key.alg, x: raw.x, y: raw.y };
  return { use: 'sig', kty: 'RSA', kid: key.keyId, alg: key.alg, n: raw.n, e: raw.e };
}

function httpsUrl(value: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${what} is not a valid URL: ${value}`);
  }
  return u;
}

/**
 * Builds both documents; throws (with kube's messages) when the issuer or JWKS URI is unfit for OIDC —
 * kube then logs the error and serves neither path.
 * Without --service-account-jwks-uri or an external address, tinykube points jwks_uri at the issuer.
 */
export function openIdDocuments(opts: OidcOptions): OidcDocuments {
  if (opts.issuer === '') throw new Error('empty issuer URL');
  const iss = httpsUrl(opts.issuer, 'issuer URL');
  if (iss.protocol !== 'https:') throw new Error(`issuer URL must use https scheme, got: ${opts.issuer}`);
  if (iss.search !== '') throw new Error(`issuer URL may not include a query, got: ${opts.issuer}`);
  if (iss.hash !== '') throw new Error(`issuer URL may not include a fragment, got: ${opts.issuer}`);

  let jwksUri: string;
  if (opts.jwksUri) {
    const u = httpsUrl(opts.jwksUri, 'jwksURI');
    if (u.protocol !== 'https:') throw new Error(`jwksURI requires https scheme, parsed as: ${u.toString()}`);
    jwksUri = opts.jwksUri;
  } else if (opts.externalAddress) {
    jwksUri = new URL(JWKS_PATH, `https://${opts.externalAddress}`).toString();
  } else {
    jwksUri = `${opts.issuer.replace(/\/+$/, '')}${JWKS_PATH}`;
  }

  if (opts.keys.length === 0) throw new Error('no keys provided for validating keyset');
  const jwks: Jwks = { keys: opts.keys.map(jwkOf) };
  const configuration: OpenIdConfiguration = {
    issuer: opts.issuer,
    jwks_uri: jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(jwks.keys.map((k) => k.alg))].sort(),
  };
  return { configuration, jwks, configurationJson: JSON.stringify(configuration), jwksJson: JSON.stringify(jwks) };
}
