import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName } from '../names.js';
import { compareQuantities, parseQuantity, QUANTITY_FORMAT_MESSAGE } from '../quantity.js';
import type { Container, Probe } from '../schemas/container.js';
import type { PodSpec, ProjectedVolumeSource } from '../schemas/pod.js';
import {
  type FieldCause,
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  key,
  nonNegative,
  notFound,
  notSupported,
  required,
  validatePortNumber,
} from './field-errors.js';
import { validateLabels } from './meta.js';

// PodSpec rules (ValidatePodSpec and friends), shared by Pods and workload pod templates.

export interface PodSpecContext {
  /** restart policies allowed here: workload templates only allow Always */
  restartPolicies?: readonly string[];
}

function validateProbe(probe: Probe | undefined, path: string): FieldCause[] {
  if (!probe) return [];
  const causes: FieldCause[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) causes.push(required(path, 'must specify a handler type'));
  if (handlers.length > 1) causes.push(forbidden(child(path, handlers[1]!), 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    causes.push(...nonNegative(child(path, f), probe[f]));
  }
  for (const [h, action] of [['httpGet', probe.httpGet], ['tcpSocket', probe.tcpSocket]] as const) {
    if (!action) continue;
    const p = child(child(path, h), 'port');
    if (typeof action.port === 'number') causes.push(...validatePortNumber(p, action.port));
    else for (const msg of isValidPortName(action.port)) causes.push(invalid(p, action.port, msg));
  }
  return causes;
}

function validateResources(c: Container, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  for (const [which, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, value] of Object.entries(list)) {
      const p = key(child(path, which), name);
      const q = parseQuantity(value);
      if (!q) causes.push(invalid(p, value, QUANTITY_FORMAT_MESSAGE));
      else if (q.sign() < 0) causes.push(invalid(p, value, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    if (limit === undefined) continue;
    if (compareQuantities(request, limit) === 1) {
      causes.push(invalid(key(child(path, 'requests'), name), request, `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
  return causes;
}

function validateContainer(c: Container, path: string, volumes: Set<string>, hostNetwork: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!c.image || c.image.trim() === '') causes.push(required(child(path, 'image')));
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = index(child(path, 'ports'), i);
    if (port.containerPort === 0) causes.push(required(child(p, 'containerPort')));
    else causes.push(...validatePortNumber(child(p, 'containerPort'), port.containerPort));
    if (port.hostPort !== undefined && port.hostPort !== 0) {
      causes.push(...validatePortNumber(child(p, 'hostPort'), port.hostPort));
      if (hostNetwork && port.hostPort !== port.containerPort) {
        causes.push(invalid(child(p, 'hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }
    if (port.name) {
      for (const msg of isValidPortName(port.name)) causes.push(invalid(child(p, 'name'), port.name, msg));
      if (portNames.has(port.name)) causes.push(duplicate(child(p, 'name'), port.name));
      portNames.add(port.name);
    }
  });
  (c.env ?? []).forEach((env, i) => {
    if (!env.name) causes.push(required(child(index(child(path, 'env'), i), 'name')));
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = index(child(path, 'volumeMounts'), i);
    if (!m.name) causes.push(required(child(p, 'name')));
    else if (!volumes.has(m.name)) causes.push(notFound(child(p, 'name'), m.name));
    if (!m.mountPath) causes.push(required(child(p, 'mountPath')));
    else if (mountPaths.has(m.mountPath)) causes.push(invalid(child(p, 'mountPath'), m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
  });
  causes.push(...validateResources(c, child(path, 'resources')));
  causes.push(...validateProbe(c.livenessProbe, child(path, 'livenessProbe')));
  causes.push(...validateProbe(c.readinessProbe, child(path, 'readinessProbe')));
  causes.push(...validateProbe(c.startupProbe, child(path, 'startupProbe')));
  return causes;
}

function validateVolumes(spec: PodSpec, path: string): { causes: FieldCause[]; names: Set<string> } {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    const p = index(path, i);
    if (!v.name) causes.push(required(child(p, 'name')));
    else {
      for (const msg of isDNS1123Label(v.name)) causes.push(invalid(child(p, 'name'), v.name, msg));
      if (names.has(v.name)) causes.push(duplicate(child(p, 'name'), v.name));
      names.add(v.name);
    }
    const sources = ['configMap', 'secret', 'emptyDir', 'hostPath', 'downwardAPI', 'persistentVolumeClaim', 'projected'].filter(
      (s) => v[s] !== undefined,
    );
    if (sources.length > 1) causes.push(forbidden(child(p, sources[1]!), 'may not specify more than 1 volume type'));
    if (v.hostPath && !v.hostPath.path) causes.push(required(child(child(p, 'hostPath'), 'path')));
    if (v.projected) causes.push(...validateProjected(v.projected, child(p, 'projected')));
  });
  return { causes, names };
}

const PROJECTION_KINDS = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle'] as const;

/** kube's validateProjectedVolumeSource: one kind per source, names, token lifetime, no two files at one path. */
function validateProjected(projected: ProjectedVolumeSource, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const paths = new Set<string>();
  const claim = (file: string | undefined, value: unknown): void => {
    if (!file) return;
    if (paths.has(file)) causes.push(invalid(path, value, 'conflicting duplicate paths'));
    paths.add(file);
  };
  (projected.sources ?? []).forEach((src, i) => {
    const sp = index(child(path, 'sources'), i);
    const kinds = PROJECTION_KINDS.filter((k) => src[k] !== undefined);
    if (kinds.length > 1) causes.push(forbidden(sp, 'may not specify more than 1 volume type per source'));
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = src[kind];
      if (!ref) continue;
      if (!ref.name) causes.push(required(child(child(sp, kind), 'name')));
      for (const item of ref.items ?? []) claim(item.path, ref.name ?? '');
    }
    for (const item of src.downwardAPI?.items ?? []) claim(item.path, item.path);
    const token = src.serviceAccountToken;
    if (token) {
      const tp = child(sp, 'serviceAccountToken');
      const exp = token.expirationSeconds ?? 3600;
      if (exp < 600) causes.push(invalid(child(tp, 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) causes.push(invalid(child(tp, 'expirationSeconds'), exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!token.path) causes.push(required(child(tp, 'path')));
      claim(token.path, token.path);
    }
  });
  return causes;
}

function validateTolerations(spec: PodSpec, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  (spec.tolerations ?? []).forEach((t, i) => {
    const p = index(path, i);
    if (t.key) for (const msg of isQualifiedName(t.key)) causes.push(invalid(child(p, 'key'), t.key, msg));
    const operator = t.operator ?? 'Equal';
    if (!t.key && operator !== 'Exists') {
      causes.push(
        invalid(child(p, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (operator === 'Exists' && t.value) {
      causes.push(invalid(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      causes.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return causes;
}

export function validatePodSpec(spec: PodSpec, path: string, ctx: PodSpecContext = {}): FieldCause[] {
  const causes: FieldCause[] = [];
  const vols = validateVolumes(spec, child(path, 'volumes'));
  causes.push(...vols.causes);
  const hostNetwork = spec.hostNetwork === true;
  if (spec.containers.length === 0) causes.push(required(child(path, 'containers')));
  // Container names are unique across init and app containers.
  const seen = new Set<string>();
  for (const [listName, list] of [['initContainers', spec.initContainers ?? []], ['containers', spec.containers]] as const) {
    list.forEach((c, i) => {
      const p = index(child(path, listName), i);
      if (!c.name) causes.push(required(child(p, 'name')));
      else {
        for (const msg of isDNS1123Label(c.name)) causes.push(invalid(child(p, 'name'), c.name, msg));
        if (seen.has(c.name)) causes.push(duplicate(child(p, 'name'), c.name));
        seen.add(c.name);
      }
      causes.push(...validateContainer(c, p, vols.names, hostNetwork));
    });
  }
  if (ctx.restartPolicies && spec.restartPolicy && !ctx.restartPolicies.includes(spec.restartPolicy)) {
    causes.push(notSupported(child(path, 'restartPolicy'), spec.restartPolicy, ctx.restartPolicies));
  }
  causes.push(...nonNegative(child(path, 'terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds));
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    causes.push(invalid(child(path, 'activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  causes.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  causes.push(...validateTolerations(spec, child(path, 'tolerations')));
  if (spec.serviceAccountName) {
    for (const msg of isDNS1123Label(spec.serviceAccountName)) {
      causes.push(invalid(child(path, 'serviceAccountName'), spec.serviceAccountName, msg));
    }
  }
  if (spec.nodeName) {
    for (const msg of isDNS1123Subdomain(spec.nodeName)) causes.push(invalid(child(path, 'nodeName'), spec.nodeName, msg));
  }
  return causes;
}
