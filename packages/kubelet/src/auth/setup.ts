import type { Clock, RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { loadServingTls, type ServingTls } from '../serving-tls.js';
import { RequestAuthenticator, X509Authenticator } from './authenticate.js';
import { alwaysAllow, WebhookAuthorizer } from './authorize.js';
import { KubeletAuth } from './filter.js';
import { subjectAccessReviewer } from './subject-access-review.js';
import { TokenWebhookAuthenticator, tokenReviewer } from './token-webhook.js';
import type { Authenticator, Authorizer } from './types.js';

// From the kubelet's flags to its API's TLS material and auth filter, with kubeadm's defaults
// (KubeletConfiguration v1beta1): anonymous off; token webhook and Webhook authorization on when
// there is an apiserver to ask (--kubeconfig). Unset flags are undefined here, so that "given" can be
// told from "defaulted".

export interface SecurityFlags {
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  anonymousAuth?: boolean;
  authenticationTokenWebhook?: boolean;
  /** ms */
  authenticationTokenWebhookCacheTtl?: number;
  authorizationMode?: string;
  /** ms */
  authorizationWebhookCacheAuthorizedTtl?: number;
  /** ms */
  authorizationWebhookCacheUnauthorizedTtl?: number;
}

export interface KubeletSecurity {
  /** Absent: plain HTTP, no auth (tests and hollow-node benchmarks only). */
  tls?: ServingTls;
  auth?: KubeletAuth;
}

export class SecurityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecurityConfigError';
  }
}


const AUTH_FLAGS: [keyof SecurityFlags, string][] = [
  ['clientCaFile', '--client-ca-file'],
  ['anonymousAuth', '--anonymous-auth'],
  ['authenticationTokenWebhook', '--authentication-token-webhook'],
  ['authenticationTokenWebhookCacheTtl', '--authentication-token-webhook-cache-ttl'],
  ['authorizationMode', '--authorization-mode'],
  ['authorizationWebhookCacheAuthorizedTtl', '--authorization-webhook-cache-authorized-ttl'],
  ['authorizationWebhookCacheUnauthorizedTtl', '--authorization-webhook-cache-unauthorized-ttl'],
];

export interface SecurityDeps {
  /** The kubelet's apiserver client (--kubeconfig); absent: standalone. */
  client?: Pick<RestClient, 'create'>;
  nodeName: string;
  log: Logger;
  clock?: Clock;
}

/** Throws SecurityConfigError for contradictory flags and TlsFileError for unusable files. */
export function kubeletSecurity(flags: SecurityFlags, d: SecurityDeps): KubeletSecurity {
  const { client, log } = d;
  if (Boolean(flags.tlsCertFile) !== Boolean(flags.tlsPrivateKeyFile)) {
    throw new SecurityConfigError('--tls-cert-file and --tls-private-key-file go together');
  }
  if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) {
    const given = AUTH_FLAGS.filter(([k]) => flags[k] !== undefined).map(([, name]) => name);
    if (given.length > 0) throw new SecurityConfigError(`${given.join(', ')} ${given.length === 1 ? 'needs' : 'need'} --tls-cert-file and --tls-private-key-file: without them the kubelet API is plain HTTP with no authentication`);
    log.warn({}, 'no --tls-cert-file: the kubelet API serves plain HTTP with neither authentication nor authorization (for tests and hollow-node benchmarks only)');
    return {};
  }

  const tls = loadServingTls({ certFile: flags.tlsCertFile, keyFile: flags.tlsPrivateKeyFile, clientCaFile: flags.clientCaFile });
  const anonymous = flags.anonymousAuth ?? false;
  const tokenWebhook = flags.authenticationTokenWebhook ?? client !== undefined;
  const mode = flags.authorizationMode ?? (client ? 'Webhook' : 'AlwaysAllow');

  const authenticators: Authenticator[] = [];
  if (tls.clientCa) authenticators.push(new X509Authenticator());
  if (tokenWebhook) {
    if (!client) throw new SecurityConfigError('--authentication-token-webhook needs --kubeconfig (no client provided, cannot use webhook authentication)');
    authenticators.push(new TokenWebhookAuthenticator({ review: tokenReviewer(client), cacheTtlMs: flags.authenticationTokenWebhookCacheTtl, clock: d.clock, log }));
  }

  let authorizer: Authorizer;
  if (mode === 'AlwaysAllow') authorizer = alwaysAllow;
  else if (mode === 'Webhook') {
    if (!client) throw new SecurityConfigError('--authorization-mode Webhook needs --kubeconfig (no client provided, cannot use webhook authorization)');
    authorizer = new WebhookAuthorizer({
      review: subjectAccessReviewer(client), clock: d.clock,
      authorizedTtlMs: flags.authorizationWebhookCacheAuthorizedTtl, unauthorizedTtlMs: flags.authorizationWebhookCacheUnauthorizedTtl,
    });
  } else throw new SecurityConfigError(`--authorization-mode: unknown mode "${mode}" (Webhook or AlwaysAllow)`);

  const summary = { clientCertificates: Boolean(tls.clientCa), tokenWebhook, anonymous, authorizationMode: mode };
  if (authenticators.length === 0 && !anonymous) log.warn(summary, 'no authenticator: every kubelet API request but /healthz will be refused');
  else log.info(summary, 'kubelet API authentication and authorization');
  return { tls, auth: new KubeletAuth({ authenticator: new RequestAuthenticator(authenticators, anonymous), authorizer, nodeName: d.nodeName, log }) };
}
