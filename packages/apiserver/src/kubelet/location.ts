/**
 * Where a pod's kubelet is: the pod's spec.nodeName → that Node's InternalIP (else its first address)
 * and status.daemonEndpoints.kubeletEndpoint.Port. Also the container defaulting and the errors of
 * Kubernetes' LogLocation/ExecLocation, with their messages (kubectl prints them as they are).
 */
import type { KubeObject } from '@tinykube/api';
import { ApiError, badRequest, statusError } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import { isRecord } from '../util.js';

export interface KubeletTarget {
  pod: KubeObject;
  nodeName: string;
  host: string;
  port: number;
  /** Resolved container name (undefined only when not asked for: port-forward). */
  container?: string;
  /** How the apiserver reaches kubelets: https with its client cert (`--kubelet-client-certificate`), or plain http. */
  tls?: KubeletTls;
}

/** `--kubelet-certificate-authority`, `--kubelet-client-certificate`, `--kubelet-client-key` (PEM text). */
export interface KubeletTls { ca?: string; cert: string; key: string }

export const DEFAULT_KUBELET_PORT = 10250;

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((c) => (isRecord(c) && typeof c.name === 'string' ? [c.name] : [])) : [];
}

/** The container a request is about: the given one (checked), or the only one. */
export function pickContainer(pod: KubeObject, podName: string, wanted: string | null): string {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (wanted) {
    if (![...containers, ...init, ...ephemeral].includes(wanted)) throw badRequest(`container ${wanted} is not valid for pod ${podName}`);
    return wanted;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  let msg = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
  if (init.length > 0) msg += ` or one of the init containers: [${init.join(' ')}]`;
  throw badRequest(msg);
}

/** Host and port of a Node's kubelet API. */
export function kubeletAddress(node: KubeObject): { host: string; port: number } | undefined {
  const status = isRecord(node.status) ? node.status : {};
  const addresses = Array.isArray(status.addresses) ? status.addresses.filter(isRecord) : [];
  const addr = addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'ExternalIP') ?? addresses[0];
  if (!addr || typeof addr.address !== 'string') return undefined;
  const ep = isRecord(status.daemonEndpoints) && isRecord(status.daemonEndpoints.kubeletEndpoint) ? status.daemonEndpoints.kubeletEndpoint : {};
  const port = typeof ep.Port === 'number' && ep.Port > 0 ? ep.Port : DEFAULT_KUBELET_PORT;
  return { host: addr.address, port };
}

/**
 * Finds the kubelet serving a pod. `container`: undefined = no container involved (port-forward),
 * null or a name = default or check it.
 */
export async function locateKubelet(storage: Storage, namespace: string, podName: string, container: string | null | undefined): Promise<KubeletTarget> {
  const pod = await storage.get('', 'pods')!.get(namespace, podName);
  const picked = container === undefined ? undefined : pickContainer(pod, podName, container);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if (!nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
  const node = await storage.get('', 'nodes')!.getOrUndefined(undefined, nodeName);
  if (!node) throw statusError(503, 'ServiceUnavailable', `the node "${nodeName}" of pod ${podName} is not registered`);
  const addr = kubeletAddress(node);
  if (!addr) throw statusError(503, 'ServiceUnavailable', `node "${nodeName}" has no address for its kubelet`);
  return { pod, nodeName, ...addr, container: picked, tls: storage.kubeletTls };
}

/** The error a client sees when the kubelet cannot be reached. */
export function kubeletUnreachable(t: { nodeName: string; host: string; port: number }, err: unknown): ApiError {
  const why = err instanceof Error ? err.message : String(err);
  return statusError(503, 'ServiceUnavailable', `the kubelet of node "${t.nodeName}" at ${t.host}:${t.port} is unreachable: ${why}`);
}
