import type { Attributes, UserInfo } from './types.js';

// What a kubelet API request asks for, as kube's nodeAuthorizerAttributesGetter (pkg/kubelet/server/auth.go)
// has it at v1.32 (KubeletFineGrainedAuthz off): `<verb> nodes/<subresource>` on this node, where the
// subresource is stats, metrics, log or checkpoint by the first path segment, and proxy for everything
// else (/pods, /containerLogs, /exec, /attach, /portForward, /run, /livez ...).
//
// The verb comes from the HTTP method only. A WebSocket upgrade is a GET, so exec/attach/portForward
// over WebSockets are `get nodes/proxy` — kube's behaviour (kubernetes/kubernetes#136550 proposed
// `create` and was closed; the docs now warn that `get nodes/proxy` allows exec).

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

const SUBRESOURCES: Record<string, string> = { stats: 'stats', metrics: 'metrics', logs: 'log', checkpoint: 'checkpoint' };

/** The API verb of an HTTP method; '' for methods kube does not map (OPTIONS, TRACE...). HEAD is a get (kube: ''). */
export function apiVerb(method: string | undefined): string {
  return VERBS[(method ?? '').toUpperCase()] ?? '';
}

/** nodes/<subresource> for a canonical request path (see canonicalPath). */
export function subresourceFor(path: string): string {
  const first = path.split('/')[1] ?? '';
  let segment: string;
  try {
    segment = decodeURIComponent(first);
  } catch {
    return 'proxy';
  }
  return SUBRESOURCES[segment] ?? 'proxy';
}

/**
 * The path of a request target if it is canonical, else undefined. The authorization decision and
 * the handler must see the same path: a target with dot segments (`/stats/../exec/...`, also as
 * `%2e`), backslashes, `//` or a scheme would be read as another path by URL parsing, so it is
 * refused rather than normalized.
 */
export function canonicalPath(target: string | undefined): string | undefined {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return undefined;
  const path = target.split(/[?#]/, 1)[0]!;
  let parsed: string;
  try {
    parsed = new URL(`http://kubelet${path}`).pathname;
  } catch {
    return undefined;
  }
  return parsed === path ? path : undefined;
}

export function requestAttributes(user: UserInfo, method: string | undefined, path: string, nodeName: string): Attributes {
  return {
    user, verb: apiVerb(method), namespace: '', apiGroup: '', apiVersion: 'v1', resource: 'nodes', subresource: subresourceFor(path), name: nodeName, path,
  };
}
