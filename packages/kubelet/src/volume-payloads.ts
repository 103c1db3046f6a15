import type { ConfigMap, DownwardAPIVolumeFile, Pod, ProjectedVolumeSource, Secret, TokenRequest, VolumeProjection } from '@tinykube/api';
import type { Payload } from './atomic-writer.js';
import { fieldRefValue, resourceFieldValue, type ObjectSource } from './env.js';
import type { ServiceAccountTokens } from './token-manager.js';
import { VolumeError } from './volume-error.js';

// What files a kubelet-managed volume holds (kube's MakePayload of the configmap, secret, downwardAPI and
// projected volume plugins), computed fresh at every pod sync; atomic-writer.ts puts them on disk.

export interface PayloadContext {
  pod: Pod;
  podIP: string;
  hostIP: string;
  source: ObjectSource;
  /** Absent in standalone mode: serviceAccountToken sources then fail. */
  tokens?: ServiceAccountTokens;
}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

interface KeysRef {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

const DEFAULT_MODE = 0o644;
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

const namespaceOf = (pod: Pod): string => pod.metadata?.namespace ?? 'default';

/** Keys as files: all of them, or the listed items (a listed key that is missing fails unless optional). */
function keysPayload(data: Record<string, Buffer>, ref: KeysRef, defaultMode: number, kind: 'configmap' | 'secret'): Payload {
  const out: Payload = new Map();
  if (!ref.items?.length) {
    for (const [k, v] of Object.entries(data)) out.set(k, { data: v, mode: defaultMode });
    return out;
  }
  for (const item of ref.items) {
    const v = data[item.key];
    if (v === undefined) {
      if (ref.optional) continue;
      throw new VolumeError(kind === 'configmap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    out.set(item.path, { data: v, mode: item.mode ?? defaultMode });
  }
  return out;
}

export async function configMapPayload(ctx: PayloadContext, ref: KeysRef, defaultMode = DEFAULT_MODE): Promise<Payload> {
  const cm: ConfigMap | undefined = await ctx.source.configMap(namespaceOf(ctx.pod), ref.name ?? '');
  if (!cm) {
    if (ref.optional) return new Map();
    throw new VolumeError(`configmap "${ref.name ?? ''}" not found`);
  }
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) data[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data[k] = Buffer.from(v, 'base64');
  return keysPayload(data, ref, defaultMode, 'configmap');
}

export async function secretPayload(ctx: PayloadContext, ref: KeysRef, defaultMode = DEFAULT_MODE): Promise<Payload> {
  const s: Secret | undefined = await ctx.source.secret(namespaceOf(ctx.pod), ref.name ?? '');
  if (!s) {
    if (ref.optional) return new Map();
    throw new VolumeError(`secret "${ref.name ?? ''}" not found`);
  }
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) data[k] = Buffer.from(v, 'base64');
  return keysPayload(data, ref, defaultMode, 'secret');
}

/** Pod fields (fieldRef) and container resources (resourceFieldRef, by containerName) as files. */
export function downwardAPIPayload(ctx: PayloadContext, items: DownwardAPIVolumeFile[] | undefined, defaultMode = DEFAULT_MODE): Payload {
  const out: Payload = new Map();
  for (const item of items ?? []) {
    let value = '';
    if (item.fieldRef) value = fieldRefValue(ctx.pod, item.fieldRef.fieldPath, ctx.podIP, ctx.hostIP) ?? '';
    else if (item.resourceFieldRef) {
      const name = item.resourceFieldRef.containerName;
      const c = [...(ctx.pod.spec.initContainers ?? []), ...ctx.pod.spec.containers].find((x) => x.name === name);
      if (!c) throw new VolumeError(`downwardAPI ${item.path}: container ${JSON.stringify(name ?? '')} not found`);
      value = resourceFieldValue(c, item.resourceFieldRef.resource, item.resourceFieldRef.divisor);
    }
    out.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return out;
}

/** A token for the pod's ServiceAccount, bound to the pod (kube's projected serviceAccountToken source). */
export async function tokenPayload(ctx: PayloadContext, src: NonNullable<VolumeProjection['serviceAccountToken']>, mode: number): Promise<Payload> {
  if (!ctx.tokens) throw new VolumeError('cannot use TokenManager when kubelet is in standalone mode');
  const pod = ctx.pod;
  const tr: TokenRequest = {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
    spec: {
      // no audience: the apiserver's own
      ...(src.audience ? { audiences: [src.audience] } : {}),
      expirationSeconds: src.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    },
  };
  let answer: TokenRequest;
  try {
    answer = await ctx.tokens.getServiceAccountToken(namespaceOf(pod), pod.spec.serviceAccountName || 'default', tr);
  } catch (err) {
    throw new VolumeError(err instanceof Error ? err.message : String(err));
  }
  return new Map([[src.path, { data: Buffer.from(answer.status?.token ?? '', 'utf8'), mode }]]);
}

/**
 * Every source's files in one payload (modes: the item's, else the volume's defaultMode). As in kube, one
 * failing source fails the whole volume (every failure is named), so a pod never sees half of it.
 */
export async function projectedPayload(ctx: PayloadContext, projected: ProjectedVolumeSource): Promise<Payload> {
  const mode = projected.defaultMode ?? DEFAULT_MODE;
  const out: Payload = new Map();
  const errors: string[] = [];
  for (const src of projected.sources ?? []) {
    try {
      let part: Payload = new Map();
      if (src.configMap) part = await configMapPayload(ctx, src.configMap, mode);
      else if (src.secret) part = await secretPayload(ctx, src.secret, mode);
      else if (src.downwardAPI) part = downwardAPIPayload(ctx, src.downwardAPI.items, mode);
      else if (src.serviceAccountToken) part = await tokenPayload(ctx, src.serviceAccountToken, mode);
      for (const [p, f] of part) out.set(p, f);
    } catch (err) {
      if (!(err instanceof VolumeError)) throw err;
      errors.push(err.message);
    }
  }
  if (errors.length) throw new VolumeError(errors.join('; '));
  return out;
}
