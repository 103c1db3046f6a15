import { TableSchema, toTable, type KubeObject, type ResourceInfo, type Table } from '@tinykube/api';
import { resourcePath, type ObjectList } from '@tinykube/client';
import type { Session } from './session.js';

// Reading objects the two ways `get` needs: as a server-rendered Table (kubectl's columns) or as
// whole objects. A server that answers a Table request with plain objects still gets columns:
// the same registry renders them here.

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface Query {
  /** undefined: across all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

const PAGE = 500;

/** One named object, or every object matching the query, as a Table (pages followed). */
export async function fetchTable(s: Session, info: ResourceInfo, q: Query, name?: string): Promise<Table> {
  const path = resourcePath(info, { namespace: q.namespace, name });
  const query = name ? {} : { labelSelector: q.labelSelector || undefined, fieldSelector: q.fieldSelector || undefined, limit: PAGE };
  let table: Table | undefined;
  let cont: string | undefined;
  do {
    const body = await s.client.request<unknown>('GET', path, undefined, {
      accept: TABLE_ACCEPT,
      query: { ...query, continue: cont, includeObject: 'Metadata' },
    });
    const page = asTable(info, body, s.io.now());
    cont = page.metadata.continue || undefined;
    table = table ? { ...table, rows: [...table.rows, ...page.rows], metadata: page.metadata } : page;
  } while (cont && !name);
  return table;
}

/** A Table from the answer: the server's, or one rendered here from a plain object or list. */
export function asTable(info: ResourceInfo, body: unknown, now: Date): Table {
  const parsed = TableSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const list = body as Partial<ObjectList<KubeObject>> & KubeObject;
  const items = Array.isArray(list.items) ? list.items : [list];
  const t = toTable(info, items.map((o) => withKind(info, o)), now);
  if (Array.isArray(list.items)) t.metadata = { resourceVersion: list.metadata?.resourceVersion, continue: list.metadata?.continue };
  return t;
}

/** Whole objects: one by name, or every match (all pages), each with apiVersion and kind set. */
export async function fetchObjects(s: Session, info: ResourceInfo, q: Query, name?: string): Promise<{ items: KubeObject[]; resourceVersion?: string }> {
  if (name !== undefined) return { items: [withKind(info, await s.client.get<KubeObject>(info, name, { namespace: q.namespace }))] };
  const list = await s.client.listAll<KubeObject>(info, {
    namespace: q.namespace,
    labelSelector: q.labelSelector || undefined,
    fieldSelector: q.fieldSelector || undefined,
    limit: PAGE,
  });
  return { items: list.items.map((o) => withKind(info, o)), resourceVersion: list.metadata.resourceVersion };
}

/** List items may come without apiVersion/kind; kubectl prints them with both. */
export function withKind(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (obj.apiVersion && obj.kind) return obj;
  return { ...obj, apiVersion: obj.apiVersion || info.apiVersion, kind: obj.kind || info.kind };
}
