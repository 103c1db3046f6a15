/**
 * Legacy discovery documents (what kubectl and client-node read): /api, /apis, /apis/G, /api/v1, /apis/G/V,
 * plus /version. Everything is derived from the @tinykube/api registry. Aggregated discovery is not served:
 * clients that ask for it get plain application/json and fall back to the legacy documents.
 */
import { registry, type ResourceInfo } from '@tinykube/api';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-tinykube',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

interface SubresourceDoc { kind: string; verbs: string[]; group?: string; version?: string }

/** How Kubernetes describes each subresource in discovery. */
function subresourceDoc(parent: ResourceInfo, sub: string): SubresourceDoc {
  switch (sub) {
    case 'status': return { kind: parent.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale': return { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
    case 'binding': return { kind: 'Binding', verbs: ['create'] };
    case 'eviction': return { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] };
    case 'log': return { kind: 'Pod', verbs: ['get'] };
    case 'exec': return { kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach': return { kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward': return { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'proxy': return { kind: `${parent.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'head', 'options', 'patch', 'update'] };
    case 'finalize': return { kind: parent.kind, verbs: ['update'] };
    default: return { kind: parent.kind, verbs: ['get'] };
  }
}

export interface GroupVersion { group: string; version: string; groupVersion: string }

export function servedGroupVersions(): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const r of registry.all()) seen.set(r.apiVersion, { group: r.group, version: r.version, groupVersion: r.apiVersion });
  return [...seen.values()];
}

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string): unknown {
  const versions = servedGroupVersions().filter((g) => g.group === name).map((g) => ({ groupVersion: g.groupVersion, version: g.version }));
  if (versions.length === 0) return undefined;
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): unknown {
  const names = [...new Set(servedGroupVersions().map((g) => g.group).filter((g) => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map(apiGroup) };
}

export function apiGroupDoc(name: string): unknown {
  const g = apiGroup(name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...(g as object) } : undefined;
}

/** APIResourceList for one group/version, or undefined when we serve none. */
export function apiResourceList(group: string, version: string): unknown {
  const infos = registry.all().filter((r) => r.group === group && r.version === version);
  if (infos.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const r of infos) {
    const doc: Record<string, unknown> = {
      name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
    };
    if (r.shortNames.length) doc.shortNames = r.shortNames;
    if (r.categories.length) doc.categories = r.categories;
    resources.push(doc);
    for (const sub of r.subresources) {
      const s = subresourceDoc(r, sub);
      const subDoc: Record<string, unknown> = { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) { subDoc.group = s.group; subDoc.version = s.version; }
      resources.push(subDoc);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
