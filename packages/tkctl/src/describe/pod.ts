import { qosClass, type KubeObject, type PodSpec } from '@tinykube/api';
import { annotationLines, arr, field, labelLines, Lines, rec, str, timestamp } from './lines.js';

// `describe pod`, following kubectl's layout: identity, node and status, containers with their
// state, conditions, volumes, QoS class, node selectors and tolerations.

export function describePod(obj: KubeObject): Lines {
  const l = new Lines();
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  l.kv(0, 'Name', obj.metadata.name);
  l.kv(0, 'Namespace', obj.metadata.namespace);
  l.kv(0, 'Priority', str(spec.priority, '0'));
  if (spec.serviceAccountName) l.kv(0, 'Service Account', str(spec.serviceAccountName));
  l.kv(0, 'Node', spec.nodeName ? `${str(spec.nodeName)}/${str(status.hostIP, '')}` : '<none>');
  if (status.startTime) l.kv(0, 'Start Time', timestamp(status.startTime));
  l.kv(0, 'Labels', labelLines(obj.metadata.labels));
  l.kv(0, 'Annotations', annotationLines(obj.metadata.annotations));
  if (obj.metadata.deletionTimestamp) {
    l.kv(0, 'Status', `Terminating (lasts ${str(obj.metadata.deletionTimestamp)})`);
    l.kv(0, 'Termination Grace Period', `${str(obj.metadata.deletionGracePeriodSeconds, '30')}s`);
  } else {
    l.kv(0, 'Status', str(status.phase, 'Unknown'));
  }
  if (status.reason) l.kv(0, 'Reason', str(status.reason));
  if (status.message) l.kv(0, 'Message', str(status.message));
  l.kv(0, 'IP', str(status.podIP, ''));
  const ips = arr(status.podIPs).map((x) => str(x.ip));
  if (ips.length === 0) l.kv(0, 'IPs', '<none>');
  else {
    l.header(0, 'IPs');
    for (const ip of ips) l.kv(1, 'IP', ip);
  }
  const owner = arr(obj.metadata.ownerReferences).find((r) => r.controller === true);
  if (owner) l.kv(0, 'Controlled By', `${str(owner.kind)}/${str(owner.name)}`);
  containers(l, 'Init Containers', arr(spec.initContainers), arr(status.initContainerStatuses));
  containers(l, 'Containers', arr(spec.containers), arr(status.containerStatuses));
  const conditions = arr(status.conditions);
  if (conditions.length > 0) {
    l.header(0, 'Conditions');
    l.kv(1, 'Type', 'Status');
    for (const c of conditions) l.kv(1, str(c.type), str(c.status));
  }
  const volumes = arr(spec.volumes);
  if (volumes.length === 0) l.kv(0, 'Volumes', '<none>');
  else {
    l.header(0, 'Volumes');
    for (const v of volumes) {
      l.header(1, str(v.name));
      const [type, source] = Object.entries(v).find(([k]) => k !== 'name') ?? ['<unknown>', {}];
      l.kv(2, 'Type', type);
      for (const [k, x] of Object.entries(rec(source))) l.kv(2, k.charAt(0).toUpperCase() + k.slice(1), str(x));
    }
  }
  l.kv(0, 'QoS Class', str(status.qosClass, '') || qosClass(spec as PodSpec));
  l.kv(0, 'Node-Selectors', labelLines(rec(spec.nodeSelector) as Record<string, string>));
  l.kv(0, 'Tolerations', arr(spec.tolerations).map(toleration));
  return l;
}

function toleration(t: Record<string, unknown>): string {
  let s = str(t.key, '');
  if (t.value) s += `=${str(t.value)}`;
  if (t.effect) s += `:${str(t.effect)}`;
  if (t.operator === 'Exists' && !t.key) s = '';
  if (t.operator) s += ` op=${str(t.operator)}`;
  if (t.tolerationSeconds !== undefined) s += ` for ${str(t.tolerationSeconds)}s`;
  return s.trim();
}

function containers(l: Lines, title: string, specs: Record<string, unknown>[], statuses: Record<string, unknown>[]): void {
  if (specs.length === 0) return;
  l.header(0, title);
  for (const c of specs) {
    const st = statuses.find((x) => x.name === c.name);
    l.header(1, str(c.name));
    if (st?.containerID) l.kv(2, 'Container ID', str(st.containerID));
    l.kv(2, 'Image', str(c.image));
    if (st?.imageID) l.kv(2, 'Image ID', str(st.imageID));
    const ports = arr(c.ports);
    l.kv(2, 'Port', ports.length ? ports.map((p) => `${str(p.containerPort)}/${str(p.protocol, 'TCP')}`).join(', ') : '<none>');
    l.kv(2, 'Host Port', ports.length ? ports.map((p) => `${str(p.hostPort, '0')}/${str(p.protocol, 'TCP')}`).join(', ') : '<none>');
    if (Array.isArray(c.command)) l.kv(2, 'Command', (c.command as unknown[]).map((x) => str(x)));
    if (Array.isArray(c.args)) l.kv(2, 'Args', (c.args as unknown[]).map((x) => str(x)));
    if (st) {
      state(l, 'State', rec(st.state));
      if (Object.keys(rec(st.lastState)).length > 0) state(l, 'Last State', rec(st.lastState));
      l.kv(2, 'Ready', str(st.ready, 'False') === 'true' ? 'True' : 'False');
      l.kv(2, 'Restart Count', str(st.restartCount, '0'));
    }
    const limits = rec(field(c, 'resources.limits'));
    const requests = rec(field(c, 'resources.requests'));
    if (Object.keys(limits).length) {
      l.header(2, 'Limits');
      for (const [k, v] of Object.entries(limits)) l.kv(3, k, str(v));
    }
    if (Object.keys(requests).length) {
      l.header(2, 'Requests');
      for (const [k, v] of Object.entries(requests)) l.kv(3, k, str(v));
    }
    const env = arr(c.env);
    l.kv(2, 'Environment', env.length ? env.map((e) => `${str(e.name)}:  ${e.value !== undefined ? str(e.value, '') : '<set from a reference>'}`) : '<none>');
    const mounts = arr(c.volumeMounts);
    l.kv(2, 'Mounts', mounts.length ? mounts.map((m) => `${str(m.mountPath)} from ${str(m.name)} (${m.readOnly ? 'ro' : 'rw'})`) : '<none>');
  }
}

function state(l: Lines, title: string, s: Record<string, unknown>): void {
  const [name, detail] = Object.entries(s)[0] ?? ['waiting', {}];
  const d = rec(detail);
  l.kv(2, title, name.charAt(0).toUpperCase() + name.slice(1));
  if (d.reason) l.kv(3, 'Reason', str(d.reason));
  if (d.message) l.kv(3, 'Message', str(d.message));
  if (d.exitCode !== undefined) l.kv(3, 'Exit Code', str(d.exitCode));
  if (d.startedAt) l.kv(3, 'Started', timestamp(d.startedAt));
  if (d.finishedAt) l.kv(3, 'Finished', timestamp(d.finishedAt));
}
