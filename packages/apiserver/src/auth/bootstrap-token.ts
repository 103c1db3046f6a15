/**
 * Bootstrap token authentication (`--enable-bootstrap-token-auth`, kube's plugin/pkg/auth/authenticator/token/
 * bootstrap): a bearer token `<id>.<secret>` names the Secret kube-system/bootstrap-token-<id>; a valid one
 * authenticates as `system:bootstrap:<id>` in system:bootstrappers plus its auth-extra-groups.
 * A token of another shape, or an id with no Secret, is no opinion (another authenticator may know it); a Secret
 * that exists but refuses the token (wrong secret, expired, deleting, not for authentication) is an error, so the
 * log says why — the client gets 401 either way, as in kube.
 */
import {
  BOOTSTRAP_KEYS, BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_SECRET_TYPE, BOOTSTRAP_USER_PREFIX, bootstrapSecretData,
  bootstrapTokenExpiration, bootstrapTokenGroups, bootstrapTokenSecretName, parseBootstrapToken, sameSecret, type Secret,
} from '@tinykube/api';
import { bearerToken } from './bearer.js';
import type { Authenticator, AuthnRequest, AuthnResult } from './types.js';

export type SecretLookup = (namespace: string, name: string) => Secret | undefined | Promise<Secret | undefined>;

export class BootstrapTokenAuthenticator implements Authenticator {
  readonly name = 'bootstrap-token';
  constructor(private readonly secret: SecretLookup, private readonly clock: () => Date = () => new Date()) {}

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const raw = bearerToken(req);
    const token = raw === undefined ? undefined : parseBootstrapToken(raw);
    if (!token) return undefined;
    const name = bootstrapTokenSecretName(token.id);
    const s = await this.secret(BOOTSTRAP_TOKEN_NAMESPACE, name);
    if (!s) return undefined;
    const refuse = (why: string): AuthnResult => ({ error: `bootstrap token ${BOOTSTRAP_TOKEN_NAMESPACE}/${name} ${why}` });
    if (s.metadata.deletionTimestamp) return refuse('is deleted and awaiting removal');
    if (s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || !s.data) return refuse(`has invalid type, expected ${BOOTSTRAP_TOKEN_SECRET_TYPE}`);
    if (!sameSecret(bootstrapSecretData(s, BOOTSTRAP_KEYS.tokenSecret), token.secret)) return refuse(`has invalid value for key ${BOOTSTRAP_KEYS.tokenSecret}`);
    if (bootstrapSecretData(s, BOOTSTRAP_KEYS.tokenId) !== token.id) return refuse(`has invalid value for key ${BOOTSTRAP_KEYS.tokenId}`);
    if (bootstrapTokenExpiration(s).expired(this.clock())) return refuse('has expired');
    if (bootstrapSecretData(s, BOOTSTRAP_KEYS.usageAuthentication) !== 'true') return refuse(`not marked ${BOOTSTRAP_KEYS.usageAuthentication}=true`);
    let groups: string[];
    try { groups = bootstrapTokenGroups(s); } catch (err) { return refuse(`has invalid value for key ${BOOTSTRAP_KEYS.extraGroups}: ${(err as Error).message}`); }
    return { user: { username: `${BOOTSTRAP_USER_PREFIX}${token.id}`, groups: [...groups, 'system:authenticated'] } };
  }
}
