import { registry } from '@tinykube/api';
import { z } from 'zod';
import { usageError } from '../errors.js';
import { formatLines } from '../printers/table.js';
import type { Session } from '../session.js';

// `tkctl api-resources`: from the server's discovery documents (legacy discovery: /api/v1, /apis,
// /apis/<group>/<version>), falling back to tkctl's own registry when discovery is unavailable.

const ApiResourceSchema = z.looseObject({
  name: z.string(),
  namespaced: z.boolean(),
  kind: z.string(),
  verbs: z.array(z.string()).optional(),
  shortNames: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});
const ApiResourceListSchema = z.looseObject({ groupVersion: z.string(), resources: z.array(ApiResourceSchema) });
const ApiGroupListSchema = z.looseObject({
  groups: z.array(z.looseObject({ name: z.string(), preferredVersion: z.looseObject({ groupVersion: z.string() }).optional(), versions: z.array(z.looseObject({ groupVersion: z.string() })) })),
});

export interface ApiResourceRow {
  name: string;
  shortNames: string[];
  apiVersion: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories: string[];
}

async function discover(s: Session): Promise<ApiResourceRow[]> {
  const groupVersions = ['v1'];
  const groups = ApiGroupListSchema.parse(await s.client.request('GET', '/apis'));
  for (const g of groups.groups) groupVersions.push(g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion ?? '');
  const rows: ApiResourceRow[] = [];
  for (const gv of groupVersions.filter(Boolean)) {
    const list = ApiResourceListSchema.parse(await s.client.request('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`));
    for (const r of list.resources) {
      if (r.name.includes('/')) continue; // subresources
      rows.push({ name: r.name, shortNames: r.shortNames ?? [], apiVersion: list.groupVersion, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [], categories: r.categories ?? [] });
    }
  }
  return rows;
}

function fromRegistry(): ApiResourceRow[] {
  return registry.all().map((r) => ({
    name: r.plural, shortNames: r.shortNames, apiVersion: r.apiVersion, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, categories: r.categories,
  }));
}

export interface ApiResourcesOptions {
  output?: string;
  namespaced?: string;
  apiGroup?: string;
  noHeaders?: boolean;
}

export async function apiResourcesCommand(s: Session, o: ApiResourcesOptions): Promise<void> {
  if (o.output && o.output !== 'wide' && o.output !== 'name') throw usageError(`--output ${o.output} is not available`);
  let rows: ApiResourceRow[];
  try {
    rows = await discover(s);
  } catch {
    rows = fromRegistry();
  }
  if (o.namespaced !== undefined) rows = rows.filter((r) => String(r.namespaced) === o.namespaced);
  if (o.apiGroup !== undefined) rows = rows.filter((r) => (r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '') === o.apiGroup);
  // kubectl sorts by group, then by name.
  const groupOf = (r: ApiResourceRow) => (r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '');
  rows.sort((a, b) => groupOf(a).localeCompare(groupOf(b)) || a.name.localeCompare(b.name));
  if (o.output === 'name') {
    for (const r of rows) s.io.stdout.write(groupOf(r) ? `${r.name}.${groupOf(r)}\n` : `${r.name}\n`);
    return;
  }
  const wide = o.output === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
  const lines = rows.map((r) => [
    r.name, r.shortNames.join(','), r.apiVersion, String(r.namespaced), r.kind,
    ...(wide ? [`[${r.verbs.join(' ')}]`, r.categories.join(',')] : []),
  ]);
  s.io.stdout.write(formatLines(o.noHeaders ? lines : [header, ...lines]));
}
