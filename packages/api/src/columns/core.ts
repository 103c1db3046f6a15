import { ageString } from '../age.js';
import type { TableColumn } from '../registry-types.js';
import type { ConfigMap, Event, Secret, ServiceAccount } from '../schemas/config.js';
import type { Lease } from '../schemas/misc.js';
import type { Namespace, Node } from '../schemas/node.js';
import type { Endpoints, Service } from '../schemas/service.js';
import { ageColumn, column, formatLabels, nameColumn } from './common.js';

// kubectl's columns for the core/v1 kinds other than Pod, and for Lease.

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

/** ROLES: every `node-role.kubernetes.io/<role>` label plus the legacy `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(NODE_ROLE_PREFIX) && k.length > NODE_ROLE_PREFIX.length) roles.add(k.slice(NODE_ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodeColumns: TableColumn[] = [
  nameColumn,
  column<Node>('Status', 'string', 'The status of the node', nodeStatus),
  column<Node>('Roles', 'string', 'The roles of the node', nodeRoles),
  ageColumn,
  column<Node>('Version', 'string', 'Kubelet Version reported by the node.', (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
  column<Node>('Internal-IP', 'string', 'List of internal IPs for the node.', (n) => nodeAddress(n, 'InternalIP'), 1),
  column<Node>('External-IP', 'string', 'List of external IPs for the node.', (n) => nodeAddress(n, 'ExternalIP'), 1),
  column<Node>('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', (n) => n.status?.nodeInfo?.osImage || '<unknown>', 1),
  column<Node>('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", (n) => n.status?.nodeInfo?.kernelVersion || '<unknown>', 1),
  column<Node>('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', (n) => n.status?.nodeInfo?.containerRuntimeVersion || '<unknown>', 1),
];

export const namespaceColumns: TableColumn[] = [
  nameColumn,
  column<Namespace>('Status', 'string', 'The status of the namespace', (n) => n.status?.phase ?? ''),
  ageColumn,
];

/** EXTERNAL-IP as kubectl derives it from the service type. */
export function serviceExternalIP(svc: Service): string {
  const external = svc.spec.externalIPs ?? [];
  switch (svc.spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((s) => s !== '');
      const all = [...lb, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

/** PORT(S): `80/TCP`, or `80:30080/TCP` when a nodePort is allocated. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = p.protocol ?? 'TCP';
      return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
    })
    .join(',');
}

export const serviceColumns: TableColumn[] = [
  nameColumn,
  column<Service>('Type', 'string', 'The type of the service.', (s) => s.spec.type ?? 'ClusterIP'),
  column<Service>('Cluster-IP', 'string', 'The cluster IP of the service.', (s) => s.spec.clusterIPs?.[0] || s.spec.clusterIP || '<none>'),
  column<Service>('External-IP', 'string', 'The external IP of the service.', serviceExternalIP),
  column<Service>('Port(s)', 'string', 'The ports of the service.', servicePorts),
  ageColumn,
  column<Service>('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', (s) => formatLabels(s.spec.selector), 1),
];

/** ENDPOINTS: up to three `ip:port` pairs then `+ N more...`, `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (entry: string) => {
    if (list.length === max) more = true;
    else list.push(entry);
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of ss.ports) {
      count += addresses.length;
      for (const a of addresses) add(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

export const endpointsColumns: TableColumn[] = [
  nameColumn,
  column<Endpoints>('Endpoints', 'string', 'Endpoints of the service', formatEndpoints),
  ageColumn,
];

function eventTimes(e: Event, now: Date): { first: string; last: string; count: number } {
  const first = e.firstTimestamp ? ageString(e.firstTimestamp, now) : ageString(e.eventTime, now);
  let last = e.lastTimestamp ? ageString(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = ageString(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1; // singleton events of the events.k8s.io API carry no count
  }
  return { first, last, count };
}

function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

// Kubernetes' event table has no NAME column first: kubectl shows LAST SEEN TYPE REASON OBJECT MESSAGE.
export const eventColumns: TableColumn[] = [
  column<Event>('Last Seen', 'string', 'Time when last this event was recorded', (e, now) => eventTimes(e, now).last),
  column<Event>('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.', (e) => e.type ?? ''),
  column<Event>('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for this event being generated.', (e) => e.reason ?? ''),
  column<Event>('Object', 'string', 'The object this Event is about.', (e) => {
    const kind = (e.involvedObject.kind ?? '').toLowerCase();
    return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
  }),
  column<Event>('Subobject', 'string', 'The subobject this Event is about.', (e) => e.involvedObject.fieldPath ?? '', 1),
  column<Event>('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', eventSource, 1),
  column<Event>('Message', 'string', 'A human-readable description of the status of this operation.', (e) => (e.message ?? '').trim()),
  column<Event>('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', (e, now) => eventTimes(e, now).first, 1),
  column<Event>('Count', 'integer', 'The number of times this event has occurred.', (e, now) => eventTimes(e, now).count, 1),
  { ...nameColumn, priority: 1 },
];

export const configMapColumns: TableColumn[] = [
  nameColumn,
  column<ConfigMap>('Data', 'integer', 'Data contains the configuration data.', (c) => Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length),
  ageColumn,
];

export const secretColumns: TableColumn[] = [
  nameColumn,
  column<Secret>('Type', 'string', 'The type of the secret', (s) => s.type ?? 'Opaque'),
  column<Secret>('Data', 'integer', 'The number of entries in the secret', (s) => Object.keys(s.data ?? {}).length),
  ageColumn,
];

export const serviceAccountColumns: TableColumn[] = [
  nameColumn,
  column<ServiceAccount>('Secrets', 'integer', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', (s) => (s.secrets ?? []).length),
  ageColumn,
];

export const leaseColumns: TableColumn[] = [
  nameColumn,
  column<Lease>('Holder', 'string', 'HolderIdentity contains the identity of the holder of a current lease.', (l) => l.spec.holderIdentity ?? ''),
  ageColumn,
];
