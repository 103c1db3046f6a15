/** Client certificates (kube's x509 authenticator): CN is the user, each O a group; the CA check is the TLS layer's. */
import type { Authenticator, AuthnRequest, AuthnResult } from './types.js';

/** Node's verification codes → the words Go's crypto/x509 uses (what kube-apiserver logs and clients know). */
const GO_WORDS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'x509: certificate has expired or is not yet valid',
  CERT_NOT_YET_VALID: 'x509: certificate has expired or is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'x509: certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'x509: certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'x509: certificate signed by unknown authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'x509: certificate signed by unknown authority',
};

export class X509Authenticator implements Authenticator {
  readonly name = 'x509';

  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const c = req.peerCertificate;
    if (!c || !c.raw) return undefined;
    if (!req.peerVerified) {
      const code = req.peerAuthorizationError ?? 'unknown';
      return { error: `verifying certificate failed: ${GO_WORDS[code] ?? code}` };
    }
    const cn = c.subject?.CN;
    const username = Array.isArray(cn) ? cn[0] : cn;
    if (!username) return { error: 'x509: certificate has no common name' };
    const o = c.subject?.O;
    const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
    return { user: { username, groups: [...groups, 'system:authenticated'] } };
  }
}
