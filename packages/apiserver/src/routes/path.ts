/**
 * Parses Kubernetes resource URLs into a RequestInfo, following the rules of
 * k8s.io/apiserver's RequestInfoFactory:
 *   /api/v1[/watch][/namespaces/NS]/PLURAL[/NAME[/SUB]]
 *   /apis/G/V[/watch][/namespaces/NS]/PLURAL[/NAME[/SUB]]
 * `/api/v1/namespaces/NS/status|finalize` are subresources of the namespace NS itself; after a `proxy`
 * subresource any path may follow.
 */
import { queryBool } from '@tinykube/api';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourcePath {
  group: string;          // '' for core
  version: string;
  namespace?: string;
  resource: string;       // plural
  name?: string;
  subresource?: string;
  /** true for the deprecated /watch/ path prefix */
  watchPrefix: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Returns undefined when the path is not a resource path (discovery paths are handled elsewhere). */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeSegment);
  if (parts.some((p) => p === undefined)) return undefined;
  const segs = parts as string[];
  let group: string; let version: string; let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = ''; version = segs[1]; rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]; version = segs[2]; rest = segs.slice(3);
  } else {
    return undefined;
  }
  let watchPrefix = false;
  if (rest[0] === 'watch') { watchPrefix = true; rest = rest.slice(1); }
  if (rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
      rest = rest.slice(2);
    } else {
      // the namespace object itself (or its status/finalize subresource)
      const out: ResourcePath = { group, version, resource: 'namespaces', name: namespace, watchPrefix };
      if (rest.length > 2) out.subresource = rest[2];
      if (rest.length > 3) return undefined;
      return out;
    }
  }
  // `…/NAME/proxy/PATH…`: the rest of the path is the proxied one (the handler reads it from the URL)
  if (rest.length > 3 && rest[2] !== 'proxy') return undefined;
  const out: ResourcePath = { group, version, resource: rest[0], watchPrefix };
  if (namespace !== undefined) out.namespace = namespace;
  if (rest.length > 1) out.name = rest[1];
  if (rest.length > 2) out.subresource = rest[2];
  return out;
}

/** Decodes one segment; an encoded '/' could forge another object's key, so it makes the path invalid. */
function decodeSegment(s: string): string | undefined {
  try {
    const d = decodeURIComponent(s);
    return d.includes('/') || d === '.' || d === '..' ? undefined : d;
  } catch {
    return undefined;
  }
}

/** Maps an HTTP method on a parsed path to a Kubernetes verb (undefined: method not allowed). */
export function verbFor(method: string, path: ResourcePath, query: URLSearchParams): Verb | undefined {
  const watch = path.watchPrefix || queryBool(query, 'watch');
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (path.name !== undefined && !path.subresource && !watch) return 'get';
      if (path.name !== undefined && path.subresource) return 'get';
      if (watch) return 'watch';
      return 'list';
    case 'POST': return 'create';
    case 'PUT': return path.name !== undefined ? 'update' : undefined;
    case 'PATCH': return path.name !== undefined ? 'patch' : undefined;
    case 'DELETE': return path.name !== undefined ? 'delete' : 'deletecollection';
    default: return undefined;
  }
}
