import { registry, type ResourceInfo } from '@tinykube/api';
import { usageError } from './errors.js';

// TYPE[/NAME] arguments as kubectl reads them: `pods`, `po,svc`, `all`, `deploy/web`,
// `pods a b`, `deployments.apps/web`. Names resolve through the shared resource registry.

export interface Target {
  info: ResourceInfo;
  /** Empty: every object of the type (subject to selectors). */
  names: string[];
}

/** `pod`, `deployment.apps`: how kubectl names a resource in messages (`deployment.apps/web created`). */
export function kindPrefix(info: ResourceInfo): string {
  return info.group ? `${info.singular}.${info.group}` : info.singular;
}

/** One type name (plural, singular, short name, kind, optionally `.group`). */
export function resolveType(name: string): ResourceInfo {
  const found = registry.resolve(name);
  if (found.length === 0) throw usageError(`the server doesn't have a resource type "${name}"`);
  return found[0];
}

/** A comma-separated list of types; `all` expands to the resources in the "all" category. */
export function expandTypes(list: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const part of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const infos = part.toLowerCase() === 'all' ? categoryMembers('all') : [resolveType(part)];
    for (const info of infos) if (!out.includes(info)) out.push(info);
  }
  if (out.length === 0) throw usageError('you must specify the type of resource');
  return out;
}

/** kubectl's order for `get all`: core first, then by group, each alphabetical by plural. */
function categoryMembers(category: string): ResourceInfo[] {
  return registry
    .all()
    .filter((r) => r.categories.includes(category))
    .sort((a, b) => (a.group === b.group ? a.plural.localeCompare(b.plural) : a.group.localeCompare(b.group)));
}

/**
 * Reads `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME [TYPE/NAME...]`. Targets of the same type are
 * merged so each type is fetched once, in the order first mentioned.
 */
export function parseTargets(args: string[]): Target[] {
  if (args.length === 0) throw usageError('you must specify the type of resource to get');
  if (args[0].includes('/')) {
    const targets: Target[] = [];
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash < 0) {
        throw usageError(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'tkctl get resource/<resource_name>' instead of 'tkctl get resource resource/<resource_name>'",
        );
      }
      const type = arg.slice(0, slash);
      const name = arg.slice(slash + 1);
      if (!name) throw usageError(`arguments in resource/name form must have a single resource and name`);
      const info = resolveType(type);
      const existing = targets.find((t) => t.info === info);
      if (existing) existing.names.push(name);
      else targets.push({ info, names: [name] });
    }
    return targets;
  }
  const names = args.slice(1);
  if (names.some((n) => n.includes('/'))) {
    throw usageError(
      "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'tkctl get resource/<resource_name>' instead of 'tkctl get resource resource/<resource_name>'",
    );
  }
  return expandTypes(args[0]).map((info) => ({ info, names: [...names] }));
}

/** Exactly one TYPE NAME or TYPE/NAME (scale, rollout, logs...). */
export function parseSingleTarget(args: string[], verb: string): { info: ResourceInfo; name: string } {
  const targets = parseTargets(args);
  const first = targets[0];
  if (targets.length !== 1 || first.names.length !== 1) {
    throw usageError(`${verb} needs exactly one resource: TYPE NAME or TYPE/NAME`);
  }
  return { info: first.info, name: first.names[0] };
}

/** The namespace a request goes to: none for cluster-scoped resources or --all-namespaces lists. */
export function namespaceFor(info: ResourceInfo, namespace: string, allNamespaces = false): string | undefined {
  if (!info.namespaced || allNamespaces) return undefined;
  return namespace;
}
