import { existsSync, statSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import Fastify, { type FastifyInstance } from 'fastify';
import { queryBoolValue, type Pod } from '@tinykube/api';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import { installAuthFilter, type KubeletAuth } from './auth/filter.js';
import { followLog, readLog } from './logs.js';
import type { PodWorker } from './pod-worker.js';
import type { ServingTls } from './serving-tls.js';
import { attachStreaming } from './streaming/upgrade.js';

// The kubelet's own HTTP API (what the apiserver proxies to for `kubectl logs`): /healthz, /pods,
// /containerLogs/<ns>/<pod>/<container>, /metrics, and the WebSocket streams exec, attach and
// portForward (streaming/upgrade.ts). With `tls` it serves https only; with `auth` every request but
// /healthz, WebSocket upgrades included, goes through the auth filter (auth/filter.ts) first.

export interface KubeletServerOptions {
  log: Logger;
  /** Workers of the pods this kubelet runs. */
  workers(): PodWorker[];
  healthy(): boolean;
  defaultMetrics?: boolean;
  /** The IP port-forward connects to (default: the worker's pod IP). */
  podIP?(w: PodWorker): string | undefined;
  /** Absent: plain HTTP (tests, hollow nodes). */
  tls?: ServingTls;
  /** Absent: no authentication or authorization. */
  auth?: KubeletAuth;
}

export type KubeletServer = FastifyInstance<HttpServer | HttpsServer>;

/** Client certificates are asked for (not required: /healthz takes none) only when there is a CA to check them. */
function newApp(tls: ServingTls | undefined): KubeletServer {
  if (!tls) return Fastify();
  const https = tls.clientCa
    ? { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: true, rejectUnauthorized: false }
    : { cert: tls.cert, key: tls.key };
  return Fastify({ https }) as KubeletServer;
}

function num(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
const flag = (v: unknown): boolean => typeof v === 'string' && queryBoolValue(v);

export function buildServer(o: KubeletServerOptions): KubeletServer {
  // Requests are not logged (the apiserver's proxy and probes would flood the log).
  const app = newApp(o.tls);
  const auth = o.auth;
  if (auth) installAuthFilter(app, auth);
  attachStreaming(app.server, { log: o.log, workers: o.workers, podIP: o.podIP ?? ((w) => w.podIP), guard: auth && ((req) => auth.check(req)) });
  const registry = new Registry();
  if (o.defaultMetrics) collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'kubelet_running_pods', help: 'Pods the kubelet runs', registers: [registry], collect() { this.set(o.workers().length); } });

  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send(o.healthy() ? 'ok' : 'unhealthy'));
  app.get('/livez', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/readyz', async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  app.get('/pods', async () => {
    const items: Pod[] = o.workers().map((w) => w.podWithStatus());
    return { kind: 'PodList', apiVersion: 'v1', metadata: {}, items };
  });

  app.get<{ Params: { ns: string; pod: string; container: string }; Querystring: Record<string, string> }>(
    '/containerLogs/:ns/:pod/:container',
    async (req, reply) => {
      const { ns, pod, container } = req.params;
      const q = req.query;
      const w = o.workers().find((x) => x.namespace === ns && x.name === pod);
      if (!w) return reply.code(404).type('text/plain').send(`pod ${ns}/${pod} not found`);
      const target = w.logFor(container, flag(q.previous));
      if (!target) {
        const why = w.containerNames().includes(container)
          ? `previous terminated container "${container}" in pod "${pod}" not found`
          : `container "${container}" in pod "${pod}" is not valid`;
        return reply.code(flag(q.previous) ? 400 : 404).type('text/plain').send(why);
      }
      const size = existsSync(target.path) ? statSync(target.path).size : 0;
      const text = readLog(target.path, { tailLines: num(q.tailLines), sinceSeconds: num(q.sinceSeconds), limitBytes: num(q.limitBytes) });
      if (!flag(q.follow)) return reply.type('text/plain').send(text);
      const ac = new AbortController();
      req.raw.on('close', () => ac.abort());
      reply.raw.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
      reply.raw.write(text);
      for await (const chunk of followLog(target.path, size, () => !target.running(), ac.signal)) reply.raw.write(chunk);
      reply.raw.end();
      return reply;
    },
  );
  return app;
}
