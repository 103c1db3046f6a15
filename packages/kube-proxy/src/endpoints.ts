import { z } from 'zod';
import type { Endpoints, Node, Service } from '@tinykube/api';

// Pure: one Service plus its Endpoints → what the proxier should serve for each service port.

/** One ready backend of a service port. */
export interface Backend {
  ip: string;
  port: number;
  nodeName?: string;
}

export type Affinity = { kind: 'None' } | { kind: 'ClientIP'; timeoutMs: number };

/** Kubernetes' default for sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10_800;

export interface ServicePortPlan {
  /** The service port's name ('' when unnamed, allowed only for single-port services). */
  name: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  nodePort?: number;
  /** Ready backends, de-duplicated and sorted so round robin order does not depend on list order. */
  backends: Backend[];
}

export interface ServicePlan {
  /** The ClusterIP to serve, or undefined for headless (None) and ExternalName services. */
  clusterIP?: string;
  /** True for NodePort and LoadBalancer services: nodePorts are served on the node IP. */
  nodePorts: boolean;
  affinity: Affinity;
  ports: ServicePortPlan[];
}

// sessionAffinityConfig is not in @tinykube/api's Service schema (loose objects keep it), so it is read here.
const SessionAffinityConfigSchema = z.looseObject({
  clientIP: z.looseObject({ timeoutSeconds: z.number().int().positive().max(86_400).optional() }).optional(),
});

/** "ns/name" or "ns/name:port" — kube-proxy's ServicePortName, used in logs and metric labels. */
export function servicePortName(serviceKey: string, portName: string): string {
  return portName ? `${serviceKey}:${portName}` : serviceKey;
}

export function affinityOf(svc: Service): Affinity {
  if (svc.spec.sessionAffinity !== 'ClientIP') return { kind: 'None' };
  const cfg = SessionAffinityConfigSchema.safeParse(svc.spec['sessionAffinityConfig'] ?? {});
  const seconds = (cfg.success ? cfg.data.clientIP?.timeoutSeconds : undefined) ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS;
  return { kind: 'ClientIP', timeoutMs: seconds * 1000 };
}

/** The ClusterIP a proxy serves: none for ExternalName, headless ("None") or not-yet-allocated services. */
export function clusterIPOf(svc: Service): string | undefined {
  if (svc.spec.type === 'ExternalName') return undefined;
  const ip = svc.spec.clusterIP;
  if (!ip || ip === 'None') return undefined;
  return ip;
}

/**
 * The ready backends of the service port called `portName`: every `addresses` entry (never
 * `notReadyAddresses`) of every subset whose ports include one with the same name and protocol.
 */
export function backendsFor(eps: Endpoints | undefined, portName: string, protocol: string = 'TCP'): Backend[] {
  const seen = new Map<string, Backend>();
  for (const subset of eps?.subsets ?? []) {
    const port = subset.ports?.find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const addr of subset.addresses ?? []) {
      const b: Backend = { ip: addr.ip, port: port.port };
      if (addr.nodeName) b.nodeName = addr.nodeName;
      const k = `${b.ip}:${b.port}`;
      if (!seen.has(k)) seen.set(k, b); // the first mention wins (it may carry nodeName)
    }
  }
  return [...seen.values()].sort(compareBackends);
}

function compareBackends(a: Backend, b: Backend): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port;
}

/** The whole plan of one service; `eps` may be absent (no Endpoints object yet: every port has no backend). */
export function computeServicePlan(svc: Service, eps: Endpoints | undefined): ServicePlan {
  const type = svc.spec.type ?? 'ClusterIP';
  const plan: ServicePlan = {
    clusterIP: clusterIPOf(svc),
    nodePorts: type === 'NodePort' || type === 'LoadBalancer',
    affinity: affinityOf(svc),
    ports: [],
  };
  if (type === 'ExternalName') return plan;
  for (const p of svc.spec.ports ?? []) {
    const name = p.name ?? '';
    const protocol = p.protocol ?? 'TCP';
    const port: ServicePortPlan = { name, protocol, port: p.port, backends: backendsFor(eps, name, protocol) };
    if (plan.nodePorts && p.nodePort) port.nodePort = p.nodePort;
    plan.ports.push(port);
  }
  return plan;
}

/** The address NodePorts are served on: the Node's InternalIP, else its ExternalIP (as kube-proxy picks). */
export function nodeIPOf(node: Node | undefined): string | undefined {
  const addrs = node?.status?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? addrs.find((a) => a.type === 'ExternalIP')?.address;
}
