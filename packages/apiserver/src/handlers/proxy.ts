/**
 * The proxy subresources (kube's ProxyREST for pods, services and nodes): `…/pods/[scheme:]NAME[:port]/proxy/PATH`
 * reaches the pod's IP, `…/services/[scheme:]NAME[:port]/proxy/PATH` a random ready endpoint of that service port,
 * `/api/v1/nodes/NAME[:port]/proxy/PATH` the node's kubelet (https with the apiserver's kubelet client
 * certificate) or another port on the node. Authorization already happened (`get|create|… pods/proxy`), and the
 * caller's credentials are not passed on, as kube's authentication filter drops them. Streams both ways.
 * Not done: HTML link rewriting and WebSocket upgrades through the proxy.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { badRequest, isNotFound, notFound, serviceUnavailable, type KubeObject } from '@tinykube/api';
import type { RequestContext } from '../http.js';
import { kubeletAddress } from '../kubelet/location.js';
import type { Storage } from '../storage/storage.js';
import { isRecord } from '../util.js';
import type { Target } from './common.js';

/** Where a proxied request goes. */
export interface ProxyLocation {
  scheme: 'http' | 'https';
  host: string;
  port?: number;
  /** client certificate and CA for the kubelet; pods and services over https are not verified (as kube) */
  tls?: { ca?: string; cert: string; key: string };
}

/** kube's net.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port` (scheme http or https). */
export function splitSchemeNamePort(id: string): { scheme: 'http' | 'https' | ''; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = ''; let name: string; let port = '';
  if (parts.length === 1) [name] = parts as [string];
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (name === '' || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme: scheme as 'http' | 'https' | '', name, port };
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
/** What never leaves the apiserver: hop-by-hop headers, the caller's credentials and impersonation. */
function forwardedHeaders(h: IncomingHttpHeaders, host: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionListed = String(h.connection ?? '').split(',').map((s) => s.trim().toLowerCase());
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_BY_HOP.includes(k) || connectionListed.includes(k)) continue;
    if (k === 'authorization' || k.startsWith('impersonate-') || k === 'host') continue;
    out[k] = v;
  }
  out.host = host;
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function podLocation(pod: KubeObject, scheme: string, port: string): ProxyLocation {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  let p = port;
  if (p === '') {
    // kube: the first declared port of the first container that declares one
    for (const c of Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : []) {
      const first = Array.isArray(c.ports) ? c.ports.find(isRecord) : undefined;
      if (first && typeof first.containerPort === 'number') { p = String(first.containerPort); break; }
    }
  }
  const status = isRecord(pod.status) ? pod.status : {};
  const ip = str(status.podIP);
  if (!ip) throw serviceUnavailable(`pod ${pod.metadata.name} has no IP address yet`);
  return { scheme: scheme === 'https' ? 'https' : 'http', host: ip, ...(p ? { port: Number(p) } : {}) };
}

async function serviceLocation(storage: Storage, namespace: string, name: string, scheme: string, port: string): Promise<ProxyLocation> {
  let portName = port;
  if (/^\d+$/.test(port)) {
    const svc = await storage.get('', 'services')!.get(namespace, name);
    const ports = isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isRecord) : [];
    const found = ports.find((p) => p.port === Number(port));
    if (!found) throw serviceUnavailable(`no service port ${port} found for service "${name}"`);
    portName = str(found.name);
  }
  let eps: KubeObject;
  try {
    eps = await storage.get('', 'endpoints')!.get(namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw notFound({ group: '', resource: 'endpoints' }, name);
    throw err;
  }
  const subsets = Array.isArray(eps.subsets) ? eps.subsets.filter(isRecord) : [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  const start = Math.floor(Math.random() * subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(start + i) % subsets.length]!;
    const addrs = Array.isArray(ss.addresses) ? ss.addresses.filter(isRecord) : [];
    const ep = (Array.isArray(ss.ports) ? ss.ports.filter(isRecord) : []).find((p) => str(p.name) === portName);
    if (addrs.length === 0 || !ep || typeof ep.port !== 'number') continue;
    const addr = addrs[Math.floor(Math.random() * addrs.length)]!;
    return { scheme: scheme === 'https' ? 'https' : 'http', host: str(addr.ip), port: ep.port };
  }
  throw serviceUnavailable(`no endpoints available for service "${[scheme, name, port].filter(Boolean).join(':')}"`);
}

async function nodeLocation(storage: Storage, name: string, scheme: string, port: string): Promise<ProxyLocation> {
  const node = await storage.get('', 'nodes')!.get(undefined, name);
  const addr = kubeletAddress(node);
  if (!addr) throw serviceUnavailable(`node "${name}" has no address`);
  if (port === '' || Number(port) === addr.port) {
    // the kubelet's own port: its scheme, and the apiserver's client certificate
    const tls = storage.kubeletTls;
    return tls ? { scheme: 'https', host: addr.host, port: addr.port, tls } : { scheme: 'http', host: addr.host, port: addr.port };
  }
  return { scheme: scheme === 'https' ? 'https' : 'http', host: addr.host, port: Number(port) };
}

export async function proxyLocation(storage: Storage, t: Target): Promise<ProxyLocation> {
  const id = splitSchemeNamePort(t.name!);
  const what = t.info.plural;
  if (!id) throw badRequest(`invalid ${what === 'services' ? 'service' : what === 'nodes' ? 'node' : 'pod'} request "${t.name}"`);
  if (id.port !== '' && !/^\d+$/.test(id.port) && what !== 'services') throw badRequest(`invalid port "${id.port}"`);
  if (what === 'pods') return podLocation(await storage.get('', 'pods')!.get(t.namespace, id.name), id.scheme, id.port);
  if (what === 'services') return serviceLocation(storage, t.namespace!, id.name, id.scheme, id.port);
  return nodeLocation(storage, id.name, id.scheme, id.port);
}

/** The part of the request path after `/proxy`, kept as the client sent it (trailing slash included). */
export function proxiedPath(pathname: string): string {
  const i = pathname.indexOf('/proxy');
  const rest = i >= 0 ? pathname.slice(i + '/proxy'.length) : '';
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export async function handleProxy(ctx: RequestContext, storage: Storage, t: Target): Promise<void> {
  const loc = await proxyLocation(storage, t);
  const hostPort = loc.port ? `${loc.host.includes(':') ? `[${loc.host}]` : loc.host}:${loc.port}` : loc.host;
  const path = proxiedPath(ctx.url.pathname) + ctx.url.search;
  const request = loc.scheme === 'https' ? httpsRequest : httpRequest;
  const tlsOptions = loc.scheme !== 'https' ? {} : loc.tls ? { ca: loc.tls.ca, cert: loc.tls.cert, key: loc.tls.key } : { rejectUnauthorized: false };
  await new Promise<void>((resolve, reject) => {
    const out = request({
      host: loc.host, port: loc.port, method: ctx.req.method, path, headers: forwardedHeaders(ctx.req.headers, hostPort), ...tlsOptions,
    }, (res: IncomingMessage) => {
      const headers = forwardedHeaders(res.headers, hostPort);
      delete headers.host;
      ctx.res.writeHead(res.statusCode ?? 502, headers);
      res.pipe(ctx.res);
      res.on('end', resolve);
      res.on('error', resolve);
    });
    out.on('error', (err) => {
      if (ctx.res.headersSent) { ctx.res.destroy(); resolve(); return; }
      reject(serviceUnavailable(`error trying to reach service: ${err.message}`));
    });
    ctx.res.on('close', () => out.destroy());
    ctx.req.pipe(out);
  });
}
