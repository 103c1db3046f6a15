import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, RawServerBase } from 'fastify';
import type { Logger } from 'pino';
import { canonicalPath, requestAttributes } from './attributes.js';
import { peerOf, type RequestAuthenticator } from './authenticate.js';
import type { Authorizer } from './types.js';

// The kubelet API's auth filter (kube's InstallAuthFilter): every request but /healthz is authenticated,
// then authorized as `<verb> nodes/<subresource>` on this node. The same check guards the WebSocket
// upgrades (streaming/upgrade.ts), which never reach fastify.

/** The answer to a request that does not get through; its message is the whole text/plain body. */
export interface Refusal {
  code: 400 | 401 | 403 | 500;
  message: string;
}

/** Served without any check: docker-compose's healthcheck and readiness checks fetch it. */
export const UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(['/healthz']);

export interface KubeletAuthOptions {
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  nodeName: string;
  log: Logger;
}

export class KubeletAuth {
  private readonly log: Logger;

  constructor(private readonly o: KubeletAuthOptions) {
    this.log = o.log.child({ component: 'kubelet-auth' });
  }

  /** undefined: the request may proceed; else how to refuse it. Never throws. */
  async check(req: IncomingMessage): Promise<Refusal | undefined> {
    const target = req.url ?? '';
    if (UNAUTHENTICATED_PATHS.has(target.split('?', 1)[0]!)) return undefined;
    const path = canonicalPath(target);
    if (path === undefined) return { code: 400, message: 'invalid request path' };

    const authn = await this.o.authenticator.authenticate({ headers: req.headers, peer: peerOf(req) });
    if (!authn.ok) {
      if (authn.error) this.log.info({ err: new Error(authn.error), path }, 'unable to authenticate the request');
      return { code: 401, message: 'Unauthorized' };
    }

    const a = requestAttributes(authn.user, req.method, path, this.o.nodeName);
    const fields = `user=${a.user.username}, verb=${a.verb}, resource=${a.resource}, subresource=${a.subresource}`;
    let allowed: boolean;
    try {
      allowed = (await this.o.authorizer.authorize(a)).decision === 'allow';
    } catch (err) {
      this.log.error({ err, user: a.user.username, verb: a.verb, subresource: a.subresource }, 'authorization error');
      return { code: 500, message: `Authorization error (${fields})` };
    }
    if (!allowed) {
      this.log.info({ user: a.user.username, verb: a.verb, subresource: a.subresource, path }, 'forbidden');
      return { code: 403, message: `Forbidden (${fields})` };
    }
    return undefined;
  }
}

/** Runs `auth` before every route of `app` (and its 404s). Install it before the routes. */
export function installAuthFilter<S extends RawServerBase>(app: FastifyInstance<S>, auth: KubeletAuth): void {
  app.addHook('onRequest', async (req, reply) => {
    const refusal = await auth.check(req.raw as IncomingMessage);
    if (refusal) return reply.code(refusal.code).type('text/plain; charset=utf-8').send(refusal.message);
  });
}
