import type { ResourceInfo } from './registry-types.js';
import type { KubeObject } from './schemas/meta.js';
import type { Table, TableRow } from './schemas/meta.js';

// meta.k8s.io/v1 Table rendering, what `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.

export type IncludeObject = 'Object' | 'Metadata' | 'None';

export interface ToTableOptions {
  /** `includeObject` query parameter; Kubernetes' default is Metadata (PartialObjectMetadata). */
  includeObject?: IncludeObject;
  /** the list's resourceVersion (and continue token) for `metadata` */
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

function rowObject(obj: KubeObject, include: IncludeObject): Record<string, unknown> | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: obj.metadata };
}

/** A column that cannot read an odd (but stored) object shows `<unknown>`, as kubectl does, instead of failing the list. */
function safeCell(c: ResourceInfo['columns'][number], obj: KubeObject, now: Date): TableRow['cells'][number] {
  try {
    return c.cell(obj, now);
  } catch {
    return '<unknown>';
  }
}

/**
 * Renders objects of one kind as a Table. Every column's cell is computed, the wide ones too:
 * Kubernetes sends them all and kubectl hides priority-1 columns unless `-o wide`.
 * `metadata.resourceVersion` defaults to the newest resourceVersion among the objects.
 */
export function toTable(info: ResourceInfo, objects: KubeObject[], now: Date, opts: ToTableOptions = {}): Table {
  const include = opts.includeObject ?? 'Metadata';
  const rows: TableRow[] = objects.map((obj) => {
    const row: TableRow = { cells: info.columns.map((c) => safeCell(c, obj, now)) };
    const object = rowObject(obj, include);
    if (object) row.object = object;
    return row;
  });
  const metadata: Table['metadata'] = {};
  const rv = opts.resourceVersion ?? newestResourceVersion(objects);
  if (rv !== undefined) metadata.resourceVersion = rv;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: info.columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority,
    })),
    rows,
  };
}

function newestResourceVersion(objects: KubeObject[]): string | undefined {
  let best: string | undefined;
  for (const o of objects) {
    const rv = o.metadata.resourceVersion;
    if (rv === undefined) continue;
    // resourceVersions are etcd revisions: compare numerically when they look like numbers.
    if (best === undefined || (/^\d+$/.test(rv) && /^\d+$/.test(best) ? BigInt(rv) > BigInt(best) : rv > best)) best = rv;
  }
  return best;
}
