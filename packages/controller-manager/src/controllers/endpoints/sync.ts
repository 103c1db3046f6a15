import { labelsMatchSelectorMap, type EndpointAddress, type EndpointPort, type EndpointSubset, type Endpoints, type Pod, type Service, type ServicePort } from '@tinykube/api';
import type { Actions, Lister, SyncResult } from '../../core/ports.js';
import { semanticEqual } from '@tinykube/api';
import { clone, isPodReady } from '../../core/pods.js';
import { splitKey } from '../../core/resources.js';

export interface EndpointsSyncDeps {
  lister: Lister;
  actions: Actions;
}

/**
 * Keeps the Endpoints named after a Service equal to its selected pods' IPs and ports (kube's
 * endpoints controller). Services without a selector are left alone: their Endpoints are the user's.
 */
export async function syncEndpoints(deps: EndpointsSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const svc = deps.lister.get('services', namespace, name);
  const current = deps.lister.get('endpoints', namespace, name);
  if (!svc) {
    if (current) await deps.actions.delete('endpoints', namespace, name);
    return {};
  }
  const selector = svc.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return {};

  const pods = deps.lister.list('pods', namespace).filter((p) => labelsMatchSelectorMap(selector, p.metadata.labels));
  const subsets = buildSubsets(svc, pods);
  const labels = { ...svc.metadata.labels };
  if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';

  if (current && semanticEqual(current.subsets ?? [], subsets) && semanticEqual(current.metadata.labels ?? {}, labels)) return {};
  if (current) {
    const next = clone(current);
    next.subsets = subsets;
    next.metadata.labels = labels;
    await deps.actions.update('endpoints', next);
  } else {
    const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
    await deps.actions.create('endpoints', namespace, ep);
  }
  return {};
}

/** kube's ShouldPodBeInEndpoints: has an IP, not terminating, not finished for good. */
function podInEndpoints(pod: Pod): boolean {
  if (!pod.status?.podIP || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status.phase;
  const restart = pod.spec.restartPolicy ?? 'Always';
  if (phase === 'Failed' && restart !== 'Always') return false;
  if (phase === 'Succeeded' && restart === 'Never') return false;
  return true;
}

/** The container port a Service port points at: by name (container port name) or number. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

/**
 * Builds subsets and repacks them like kube's RepackSubsets: addresses that expose the same set of
 * ports share a subset. Sorted (addresses by IP, ports by name/number) so equal states compare equal.
 */
export function buildSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const byPorts = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!podInEndpoints(pod)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      ports.push(ep);
    }
    if (ports.length === 0 && (svc.spec.ports ?? []).length > 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const addr: EndpointAddress = {
      ip: pod.status!.podIP!,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid },
    };
    if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
    if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
    const k = JSON.stringify(ports);
    let group = byPorts.get(k);
    if (!group) byPorts.set(k, (group = { ports, ready: [], notReady: [] }));
    (isPodReady(pod) || svc.spec.publishNotReadyAddresses ? group.ready : group.notReady).push(addr);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  return [...byPorts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => {
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready.sort(byIp);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIp);
    if (g.ports.length) s.ports = g.ports;
    return s;
  });
}

/** Which Services select a pod (for the pod event handler: enqueue them). */
export function servicesForPod(lister: Lister, pod: Pod): Service[] {
  return lister.list('services', pod.metadata.namespace).filter((s) => {
    const sel = s.spec.selector;
    return !!sel && Object.keys(sel).length > 0 && labelsMatchSelectorMap(sel, pod.metadata.labels);
  });
}
