/**
 * Local adapter over @tinykube/api's label and field selectors: parses the query parameters once per
 * request into one predicate, and turns selector syntax errors into 400 BadRequest.
 */
import { parseFieldSelector, parseLabelSelector, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { badRequest } from '@tinykube/api';

export interface ObjectFilter {
  /** Namespace restriction (already applied by key prefix where possible). */
  namespace?: string;
  matches(obj: KubeObject): boolean;
  /** True when no selector restricts the result (lets lists report remainingItemCount). */
  readonly everything: boolean;
}

export function parseFilter(info: ResourceInfo, query: URLSearchParams, namespace?: string, name?: string): ObjectFilter {
  let labelSel: ReturnType<typeof parseLabelSelector> | undefined;
  let fieldSel: ReturnType<typeof parseFieldSelector> | undefined;
  const ls = query.get('labelSelector');
  if (ls) {
    try { labelSel = parseLabelSelector(ls); } catch (err) { throw badRequest((err as Error).message); }
    if (labelSel.isEmpty()) labelSel = undefined;
  }
  let fs = query.get('fieldSelector') ?? '';
  // GET .../pods/NAME?watch=true is a watch on metadata.name=NAME
  if (name !== undefined) fs = fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`;
  if (fs) {
    try { fieldSel = parseFieldSelector(fs, { kind: info.kind }); } catch (err) { throw badRequest((err as Error).message); }
    if (fieldSel.isEmpty()) fieldSel = undefined;
  }
  const kind = info.kind;
  const l = labelSel; const f = fieldSel;
  const filter: ObjectFilter = {
    everything: !l && !f,
    matches(obj: KubeObject): boolean {
      if (namespace !== undefined && obj.metadata.namespace !== namespace) return false;
      if (l && !l.matches(obj.metadata.labels)) return false;
      if (f && !f.matchesObject(obj, kind)) return false;
      return true;
    },
  };
  if (namespace !== undefined) filter.namespace = namespace;
  return filter;
}
