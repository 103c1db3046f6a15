import { isIP } from 'node:net';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName } from '../names.js';
import type { ConfigMap, Secret } from '../schemas/config.js';
import type { Node } from '../schemas/node.js';
import type { Endpoints, Service } from '../schemas/service.js';
import {
  type FieldCause,
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  key,
  required,
  tooLong,
  validatePortNumber,
} from './field-errors.js';
import { validateLabels } from './meta.js';

// core/v1 rules for the kinds other than Pod.

const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
/** ConfigMaps and Secrets are capped at 1 MiB, as in Kubernetes. */
export const MAX_DATA_BYTES = 1024 * 1024;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function validateService(svc: Service): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = svc.spec;
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) causes.push(required('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(spec.externalName)) causes.push(invalid('spec.externalName', spec.externalName, msg));
  } else if (ports.length === 0 && !headless) {
    causes.push(required('spec.ports'));
  }
  const names = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('spec.ports', i);
    if (ports.length > 1 && !p.name) causes.push(required(child(path, 'name')));
    if (p.name) {
      for (const msg of isDNS1123Label(p.name)) causes.push(invalid(child(path, "name"), p.name, msg));
      if (names.has(p.name)) causes.push(duplicate(child(path, 'name'), p.name));
      names.add(p.name);
    }
    causes.push(...validatePortNumber(child(path, 'port'), p.port));
    const k = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (portKeys.has(k)) causes.push(duplicate(path, { port: p.port, protocol: p.protocol ?? 'TCP' }));
    portKeys.add(k);
    if (typeof p.targetPort === 'number') causes.push(...validatePortNumber(child(path, 'targetPort'), p.targetPort));
    else if (typeof p.targetPort === 'string') {
      for (const msg of isValidPortName(p.targetPort)) causes.push(invalid(child(path, 'targetPort'), p.targetPort, msg));
    }
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        causes.push(forbidden(child(path, 'nodePort'), `may not be used when \`type\` is '${type}'`));
      } else causes.push(...validatePortNumber(child(path, 'nodePort'), p.nodePort));
    }
  });
  if (spec.clusterIP && spec.clusterIP !== 'None' && isIP(spec.clusterIP) === 0) {
    causes.push(invalid('spec.clusterIPs[0]', spec.clusterIP, IP_MESSAGE));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    causes.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (isIP(ip) === 0) causes.push(invalid(index('spec.externalIPs', i), ip, IP_MESSAGE));
  });
  causes.push(...validateLabels(spec.selector, 'spec.selector'));
  return causes;
}

function validateDataKeys(data: Record<string, string> | undefined, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const k of Object.keys(data ?? {})) {
    if (k.length > 253) causes.push(invalid(key(path, k), k, 'must be no more than 253 characters'));
    if (!CONFIG_KEY_RE.test(k)) causes.push(invalid(key(path, k), k, CONFIG_KEY_MESSAGE));
  }
  return causes;
}

function byteSize(...maps: (Record<string, string> | undefined)[]): number {
  let n = 0;
  for (const m of maps) for (const [k, v] of Object.entries(m ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

export function validateConfigMap(cm: ConfigMap): FieldCause[] {
  const causes = [...validateDataKeys(cm.data, 'data'), ...validateDataKeys(cm.binaryData, 'binaryData')];
  for (const k of Object.keys(cm.data ?? {})) {
    if (cm.binaryData && k in cm.binaryData) causes.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
  }
  if (byteSize(cm.data, cm.binaryData) > MAX_DATA_BYTES) causes.push(tooLong('', MAX_DATA_BYTES));
  return causes;
}

export function validateSecret(secret: Secret): FieldCause[] {
  const causes = [...validateDataKeys(secret.data, 'data'), ...validateDataKeys(secret.stringData, 'stringData')];
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    if (!BASE64_RE.test(v)) causes.push(invalid(key('data', k), '<secret data>', 'illegal base64 data'));
  }
  if (byteSize(secret.data) > MAX_DATA_BYTES) causes.push(tooLong('data', MAX_DATA_BYTES));
  return causes;
}

export function validateNode(node: Node): FieldCause[] {
  const causes: FieldCause[] = [];
  const cidrs = node.spec.podCIDRs ?? (node.spec.podCIDR ? [node.spec.podCIDR] : []);
  cidrs.forEach((cidr, i) => {
    const [ip, bits, extra] = cidr.split('/');
    const n = Number(bits);
    const family = isIP(ip ?? '');
    if (extra !== undefined || family === 0 || !/^\d+$/.test(bits ?? '') || n > (family === 4 ? 32 : 128)) {
      causes.push(invalid(index('spec.podCIDRs', i), cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    }
  });
  (node.spec.taints ?? []).forEach((t, i) => {
    const path = index('spec.taints', i);
    for (const msg of isQualifiedName(t.key)) causes.push(invalid(child(path, 'key'), t.key, msg));
  });
  return causes;
}

export function validateEndpoints(ep: Endpoints): FieldCause[] {
  const causes: FieldCause[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const path = index('subsets', i);
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      (ss[list] ?? []).forEach((a, j) => {
        if (isIP(a.ip) === 0) causes.push(invalid(child(index(child(path, list), j), 'ip'), a.ip, IP_MESSAGE));
      });
    }
    (ss.ports ?? []).forEach((p, j) => causes.push(...validatePortNumber(child(index(child(path, 'ports'), j), 'port'), p.port)));
  });
  return causes;
}
