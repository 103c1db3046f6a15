import { nodeRoles, nodeStatus, type KubeObject, type Node } from '@tinykube/api';
import { annotationLines, arr, labelLines, Lines, rec, str, timestamp } from './lines.js';

// `describe node` and `describe service`.

export function describeNode(obj: KubeObject): Lines {
  const l = new Lines();
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  // The column helpers expect spec and status to be present (the apiserver defaults them).
  const node = { ...obj, spec, status } as Node;
  l.kv(0, 'Name', obj.metadata.name);
  l.kv(0, 'Roles', nodeRoles(node));
  l.kv(0, 'Labels', labelLines(obj.metadata.labels));
  l.kv(0, 'Annotations', annotationLines(obj.metadata.annotations));
  l.kv(0, 'CreationTimestamp', timestamp(obj.metadata.creationTimestamp));
  l.kv(0, 'Taints', arr(spec.taints).map((t) => `${str(t.key)}${t.value ? `=${str(t.value)}` : ''}:${str(t.effect)}`));
  l.kv(0, 'Unschedulable', spec.unschedulable === true ? 'true' : 'false');
  l.kv(0, 'Status', nodeStatus(node));
  const conditions = arr(status.conditions);
  if (conditions.length > 0) {
    l.header(0, 'Conditions');
    l.raw(
      formatRows([
        ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'],
        ['----', '------', '-----------------', '------------------', '------', '-------'],
        ...conditions.map((c) => [str(c.type), str(c.status), timestamp(c.lastHeartbeatTime), timestamp(c.lastTransitionTime), str(c.reason, ''), str(c.message, '')]),
      ]),
    );
  }
  const addresses = arr(status.addresses);
  l.kv(0, 'Addresses', addresses.length ? addresses.map((a) => `${str(a.type)}:  ${str(a.address)}`) : '<none>');
  for (const [title, key] of [['Capacity', 'capacity'], ['Allocatable', 'allocatable']] as const) {
    const m = rec(status[key]);
    if (Object.keys(m).length === 0) continue;
    l.header(0, title);
    for (const [k, v] of Object.entries(m)) l.kv(1, k, str(v));
  }
  if (spec.podCIDR) l.kv(0, 'PodCIDR', str(spec.podCIDR));
  return l;
}

export function describeService(obj: KubeObject): Lines {
  const l = new Lines();
  const spec = rec(obj.spec);
  l.kv(0, 'Name', obj.metadata.name);
  l.kv(0, 'Namespace', obj.metadata.namespace);
  l.kv(0, 'Labels', labelLines(obj.metadata.labels));
  l.kv(0, 'Annotations', annotationLines(obj.metadata.annotations));
  const sel = rec(spec.selector) as Record<string, string>;
  l.kv(0, 'Selector', Object.keys(sel).length ? Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') : '<none>');
  l.kv(0, 'Type', str(spec.type, 'ClusterIP'));
  l.kv(0, 'IP Family Policy', str(spec.ipFamilyPolicy, 'SingleStack'));
  l.kv(0, 'IP Families', Array.isArray(spec.ipFamilies) ? spec.ipFamilies.join(',') : 'IPv4');
  l.kv(0, 'IP', str(spec.clusterIP));
  l.kv(0, 'IPs', Array.isArray(spec.clusterIPs) ? spec.clusterIPs.join(',') : str(spec.clusterIP));
  for (const p of arr(spec.ports)) {
    const name = str(p.name, '<unset>');
    l.kv(0, 'Port', `${name}  ${str(p.port)}/${str(p.protocol, 'TCP')}`);
    l.kv(0, 'TargetPort', `${str(p.targetPort, str(p.port))}/${str(p.protocol, 'TCP')}`);
    if (p.nodePort) l.kv(0, 'NodePort', `${name}  ${str(p.nodePort)}/${str(p.protocol, 'TCP')}`);
  }
  l.kv(0, 'Session Affinity', str(spec.sessionAffinity, 'None'));
  return l;
}

/** A small aligned table inside a describe section (two-space padding, indented by two). */
function formatRows(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2))).join('')).join('\n');
}
