/** From the apiserver's flags to its TLS material and security stages (authenticators and authorizers in order). */
import { readFileSync } from 'node:fs';
import { checkValidity } from '@tinykube/pki';
import type { Logger } from 'pino';
import type { KubeletTls } from '../kubelet/location.js';
import type { Storage } from '../storage/storage.js';
import { AuthenticationChain } from './authenticate.js';
import { alwaysAllow, AuthorizationChain, privilegedGroups } from './authorize.js';
import type { Security } from './pipeline.js';
import { TokenFileAuthenticator } from './token-file.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';
import type { Authenticator, Authorizer } from './types.js';
import { X509Authenticator } from './x509.js';
import { parseGoBool as parseBool } from '@tinykube/api';
import { cacheLookups, serviceAccountTokens, type ServiceAccountFlags } from './serviceaccount/setup.js';
import type { AdmissionPlugin } from '../admission/types.js';
import { nodeRestriction } from '../admission/node-restriction.js';
import { certificateApproval, certificateSigning, certificateSubjectRestriction } from '../admission/certificates.js';
import { serviceAccountAdmissionFor } from '../admission/service-account.js';
import { rbacEscalation } from '../admission/rbac-escalation.js';
import { RbacAuthorizer } from './rbac/authorizer.js';
import { cacheRbacSource } from './rbac/cache-source.js';
import { rulesFor, splitRulesForReview } from './rbac/rules.js';
import { NodeAuthorizer, nodeNameOf } from './node-authorizer.js';

export interface SecurityFlags extends ServiceAccountFlags {
  tlsCertFile?: string; tlsPrivateKeyFile?: string; clientCaFile?: string; tokenAuthFile?: string;
  anonymousAuth: string; authorizationMode: string; enableAdmissionPlugins?: string;
  kubeletClientCertificate?: string; kubeletClientKey?: string; kubeletCertificateAuthority?: string;
  /** `--enable-bootstrap-token-auth`: bootstrap token Secrets in kube-system authenticate joining nodes. */
  enableBootstrapTokenAuth?: boolean;
}

/** A PEM file's text (undefined for no file); a certificate in it must be valid now, else a clear error. */
export function readPem(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) { throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`); }
  if (text.includes('BEGIN CERTIFICATE')) checkValidity(text, file);
  return text;
}

export type AuthorizerFactory = (storage: Storage) => Authorizer;

/** Authorizers by `--authorization-mode` name; RBAC and Node register themselves here (they need the caches). */
export const AUTHORIZERS = new Map<string, AuthorizerFactory>([
  ['AlwaysAllow', () => alwaysAllow],
  ['RBAC', (storage) => new RbacAuthorizer(cacheRbacSource(storage))],
  ['Node', (storage) => new NodeAuthorizer(storage)],
]);

export interface SecuritySetup {
  tls: { cert: string; key: string; clientCa?: string };
  security: (storage: Storage) => Security;
  kubeletTls?: KubeletTls;
  /** Extra authenticators that need the caches (service-account tokens, bootstrap tokens). */
  authenticators: ((storage: Storage) => Authenticator)[];
  admission: (storage: Storage, security: Security) => AdmissionPlugin[];
}

/** Admission plugins by `--enable-admission-plugins` name. */
export const ADMISSION_PLUGINS = new Map<string, (storage: Storage, security: Security) => AdmissionPlugin>([
  ['ServiceAccount', (storage) => serviceAccountAdmissionFor(storage)],
  ['NodeRestriction', () => nodeRestriction],
  ['CertificateApproval', (_storage, security) => certificateApproval(security.authorizer)],
  ['CertificateSigning', (_storage, security) => certificateSigning(security.authorizer)],
  ['CertificateSubjectRestriction', () => certificateSubjectRestriction],
]);

/** `--enable-admission-plugins`' default, in kube's order (ServiceAccount before NodeRestriction). */
export const DEFAULT_ADMISSION_PLUGINS = 'ServiceAccount,NodeRestriction,CertificateApproval,CertificateSigning,CertificateSubjectRestriction';

export async function buildSecurity(flags: SecurityFlags, log: Logger): Promise<SecuritySetup> {
  const tls = { cert: readPem(flags.tlsCertFile)!, key: readPem(flags.tlsPrivateKeyFile)!, clientCa: readPem(flags.clientCaFile) };
  const modes = flags.authorizationMode.split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of modes) if (!AUTHORIZERS.has(m)) throw new Error(`--authorization-mode: unknown mode "${m}" (known: ${[...AUTHORIZERS.keys()].join(', ')})`);
  const anonymous = parseBool(flags.anonymousAuth);
  const staticAuthenticators: Authenticator[] = [];
  if (tls.clientCa) staticAuthenticators.push(new X509Authenticator());
  if (flags.tokenAuthFile) staticAuthenticators.push(TokenFileAuthenticator.fromFile(flags.tokenAuthFile));
  const sa = await serviceAccountTokens(flags, log);
  const kubeletTls = flags.kubeletClientCertificate
    ? { cert: readPem(flags.kubeletClientCertificate)!, key: readPem(flags.kubeletClientKey)!, ca: readPem(flags.kubeletCertificateAuthority) }
    : undefined;
  const plugins = (flags.enableAdmissionPlugins ?? DEFAULT_ADMISSION_PLUGINS).split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of plugins) if (!ADMISSION_PLUGINS.has(m)) throw new Error(`--enable-admission-plugins: unknown plugin "${m}" (known: ${[...ADMISSION_PLUGINS.keys()].join(', ')})`);
  const setup: SecuritySetup = {
    tls, kubeletTls,
    authenticators: flags.enableBootstrapTokenAuth ? [(storage) => new BootstrapTokenAuthenticator(cacheLookups(storage).secret)] : [],
    admission: (storage, security) => [
      ...(modes.includes('RBAC') ? [rbacEscalation(cacheRbacSource(storage), security.authorizer)] : []),
      ...plugins.map((m) => ADMISSION_PLUGINS.get(m)!(storage, security)),
    ],
    security: (storage) => {
      const tokenAuthenticators = [
        ...staticAuthenticators.filter((a) => a.name !== 'x509'),
        ...(sa ? [sa.authenticator(storage)] : []),
        ...setup.authenticators.map((f) => f(storage)),
      ];
      const authenticators = [...staticAuthenticators.filter((a) => a.name === 'x509'), ...tokenAuthenticators];
      log.info({ authenticators: authenticators.map((a) => a.name), anonymous, authorizers: modes }, 'security');
      const rbac = modes.includes('RBAC') ? cacheRbacSource(storage) : undefined;
      return {
        authentication: new AuthenticationChain(authenticators, anonymous),
        authorizer: new AuthorizationChain([privilegedGroups, ...modes.map((m) => AUTHORIZERS.get(m)!(storage))]),
        reviewToken: sa?.reviewToken(tokenAuthenticators),
        tokenRequest: sa?.tokenRequest?.(storage),
        documents: sa?.documents,
        rulesFor: (user, namespace) => {
          if (!rbac) return { resourceRules: [], nonResourceRules: [], incomplete: true };
          const r = rulesFor(rbac, user, namespace);
          // The Node authorizer cannot list a node's rules: kube marks the answer incomplete for nodes.
          const nodeUser = modes.includes('Node') && nodeNameOf(user) !== undefined;
          return { ...splitRulesForReview(r.rules), incomplete: nodeUser || r.errors.length > 0 };
        },
      };
    },
  };
  return setup;
}
