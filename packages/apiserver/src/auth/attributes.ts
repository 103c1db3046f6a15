/** A request's authorizer.Attributes, from the parsed URL (kube's RequestInfoFactory + verb mapping). */
import { parseResourcePath, verbFor } from '../routes/path.js';
import type { Attributes, UserInfo } from './types.js';

const NON_RESOURCE_VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete', OPTIONS: 'options' };

export function requestAttributes(user: UserInfo, method: string, pathname: string, query: URLSearchParams): Attributes {
  const rp = parseResourcePath(pathname);
  if (!rp) {
    return {
      user, verb: NON_RESOURCE_VERBS[method] ?? method.toLowerCase(), resourceRequest: false, path: pathname,
      apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '',
    };
  }
  let verb: string = verbFor(method, rp, query) ?? method.toLowerCase();
  // Streaming upgrades arrive as GET; kube authorizes them as `create` on the subresource.
  if (rp.subresource === 'exec' || rp.subresource === 'attach' || rp.subresource === 'portforward') verb = 'create';
  // A GET of a named object with a fieldSelector on metadata.name is still `get`; list/watch of one name keep theirs.
  return {
    user, verb, resourceRequest: true, path: pathname,
    apiGroup: rp.group, apiVersion: rp.version, resource: rp.resource, subresource: rp.subresource ?? '',
    namespace: rp.namespace ?? (rp.resource === 'namespaces' ? rp.name ?? '' : ''), name: rp.name ?? '',
  };
}
