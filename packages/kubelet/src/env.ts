import { parseQuantity, type ConfigMap, type Container, type EnvVar, type Pod, type Secret, type Service } from '@tinykube/api';

// A container's environment, in Kubernetes' order: the image's env, then tinykube's implicit
// variables (HOSTNAME, POD_NAME, POD_NAMESPACE, POD_IP, NODE_NAME, ... — a process runtime has no
// other way to tell a process its pod IP), then service links, then envFrom, then env. $(VAR)
// references in env values, command and args expand against what is defined before them.

/** Why a container could not be configured: Kubernetes shows it as waiting CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
  readonly reason = 'CreateContainerConfigError';
}

/** Where env and volumes read ConfigMaps and Secrets from (the apiserver, with a cache). */
export interface ObjectSource {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface EnvContext {
  pod: Pod;
  container: Container;
  podIP: string;
  hostIP: string;
  nodeName: string;
  podDir: string;
  rootfs: string;
  imageEnv: Record<string, string>;
  /** Services of the pod's namespace plus the `kubernetes` service of `default`. */
  services: Service[];
  source: ObjectSource;
}

/** Kubernetes' $(VAR) expansion: unknown references stay as written, $$ escapes a dollar. */
export function expand(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && Object.hasOwn(vars, name) ? vars[name]! : m;
  });
}

function envName(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

/** The docker-links style variables Kubernetes sets for every service visible to the pod. */
export function serviceLinkEnv(services: Service[]): Record<string, string> {
  const out: Record<string, string> = {};
  const sorted = [...services].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  for (const svc of sorted) {
    const ip = svc.spec?.clusterIP;
    const ports = svc.spec?.ports ?? [];
    if (!ip || ip === 'None' || ports.length === 0) continue;
    const n = envName(svc.metadata?.name ?? '');
    const first = ports[0]!;
    out[`${n}_SERVICE_HOST`] = ip;
    out[`${n}_SERVICE_PORT`] = String(first.port);
    for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out[`${n}_PORT`] = `${proto}://${ip}:${first.port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toUpperCase();
      const prefix = `${n}_PORT_${p.port}_${pr}`;
      out[prefix] = `${pr.toLowerCase()}://${ip}:${p.port}`;
      out[`${prefix}_PROTO`] = pr.toLowerCase();
      out[`${prefix}_PORT`] = String(p.port);
      out[`${prefix}_ADDR`] = ip;
    }
  }
  return out;
}

/** The downward API's fieldRef paths. */
export function fieldRefValue(pod: Pod, path: string, podIP: string, hostIP: string): string | undefined {
  const meta = pod.metadata ?? {};
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? 'default';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return Object.entries(meta.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'metadata.annotations':
      return Object.entries(meta.annotations ?? {}).map(([k, v]) => `${k}="${v}"`).join('\n');
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      return undefined;
  }
}

export function resourceFieldValue(c: Container, resource: string, divisor: unknown): string {
  const [kind, name] = resource.split('.') as [string, string];
  const raw = (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[name];
  if (raw === undefined) return '0';
  const q = parseQuantity(raw as string | number);
  const d = parseQuantity(typeof divisor === 'string' || typeof divisor === 'number' ? divisor : 1);
  if (!q || !d || d.isZero()) return '0';
  return String(Math.ceil(q.approximate() / d.approximate()));
}

function secretValue(s: Secret, key: string): string | undefined {
  const data = (s as { data?: Record<string, string> }).data;
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function configMapValue(cm: ConfigMap, key: string): string | undefined {
  const data = (cm as { data?: Record<string, string> }).data;
  return data?.[key];
}

async function valueFrom(ctx: EnvContext, ns: string, v: EnvVar): Promise<string | undefined> {
  const from = v.valueFrom!;
  if (from.fieldRef) {
    const val = fieldRefValue(ctx.pod, from.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
    if (val === undefined) throw new ContainerConfigError(`env ${v.name}: unsupported fieldPath ${from.fieldRef.fieldPath}`);
    return val;
  }
  if (from.resourceFieldRef) return resourceFieldValue(ctx.container, from.resourceFieldRef.resource, from.resourceFieldRef.divisor);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (ref) {
    const isSecret = from.secretKeyRef !== undefined;
    const what = isSecret ? 'secret' : 'configmap';
    const obj = isSecret ? await ctx.source.secret(ns, ref.name ?? '') : await ctx.source.configMap(ns, ref.name ?? '');
    if (!obj) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(`${what} "${ref.name}" not found`);
    }
    const val = isSecret ? secretValue(obj as Secret, ref.key) : configMapValue(obj as ConfigMap, ref.key);
    if (val === undefined && !ref.optional) throw new ContainerConfigError(`couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}`);
    return val;
  }
  return '';
}

/** Builds the full environment of a container; throws ContainerConfigError when a reference is missing. */
export async function buildEnv(ctx: EnvContext): Promise<Record<string, string>> {
  const { pod, container: c } = ctx;
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {
    ...ctx.imageEnv,
    HOSTNAME: pod.spec.hostname ?? pod.metadata?.name ?? '',
    HOME: ctx.imageEnv.HOME ?? ctx.rootfs,
    POD_NAME: pod.metadata?.name ?? '',
    POD_NAMESPACE: ns,
    POD_UID: pod.metadata?.uid ?? '',
    POD_IP: ctx.podIP,
    HOST_IP: ctx.hostIP,
    NODE_NAME: ctx.nodeName,
    TK_POD_DIR: ctx.podDir,
    TK_ROOT: ctx.rootfs,
  };
  const linked = pod.spec.enableServiceLinks === false ? ctx.services.filter((s) => s.metadata?.namespace === 'default' && s.metadata?.name === 'kubernetes') : ctx.services;
  Object.assign(env, serviceLinkEnv(linked));
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await ctx.source.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries((cm as { data?: Record<string, string> }).data ?? {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = await ctx.source.secret(ns, from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const k of Object.keys((s as { data?: Record<string, string> }).data ?? {})) env[prefix + k] = secretValue(s, k) ?? '';
    }
  }
  for (const v of c.env ?? []) {
    if (v.valueFrom) {
      const val = await valueFrom(ctx, ns, v);
      if (val !== undefined) env[v.name] = val;
    } else {
      env[v.name] = expand(v.value ?? '', env);
    }
  }
  return env;
}
