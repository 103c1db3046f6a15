// The list and map semantics server-side apply needs, per kind: which lists are maps keyed by some
// fields (x-kubernetes-list-type: map + x-kubernetes-list-map-keys), which are sets (list-type: set)
// and which are atomic (the default for a list). The built-in kinds take them from patch-meta, the one
// table of list semantics; other kinds (custom resources) plug theirs in through `SemanticsForKind`.

import { patchMetaOrDefault, type PatchFieldMeta, type PatchMeta } from '../patch/patch-meta.js';

export type ListType =
  | { readonly type: 'map'; readonly keys: readonly string[] }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

export interface TypeSemantics {
  /** For a list: how its items are identified. A list without it is atomic. */
  readonly list?: ListType;
  /** x-kubernetes-map-type: atomic (or patchStrategy replace): the map is owned as one value. */
  readonly atomic?: boolean;
  /** The fields of this struct (for a list: of its items). */
  readonly fields?: Readonly<Record<string, TypeSemantics>>;
}

/** kind → the semantics of its objects (the root is the object's struct). */
export type SemanticsForKind = (kind: string) => TypeSemantics;

function fromField(m: PatchFieldMeta): TypeSemantics {
  const fields = m.fields ? fromMeta(m.fields) : undefined;
  if (m.merge) return { list: m.mergeKey ? { type: 'map', keys: [m.mergeKey] } : { type: 'set' }, fields };
  return { atomic: m.replace, fields };
}

function fromMeta(meta: PatchMeta): Record<string, TypeSemantics> {
  const out: Record<string, TypeSemantics> = {};
  for (const [k, m] of Object.entries(meta)) out[k] = fromField(m);
  return out;
}

const cache = new Map<string, TypeSemantics>();

/** The built-in kinds' semantics, derived from their strategic-merge-patch tags. */
export const builtinSemantics: SemanticsForKind = (kind) => {
  let s = cache.get(kind);
  if (!s) cache.set(kind, (s = { fields: fromMeta(patchMetaOrDefault(kind)) }));
  return s;
};

export function childSemantics(s: TypeSemantics | undefined, field: string): TypeSemantics | undefined {
  return s?.fields && Object.hasOwn(s.fields, field) ? s.fields[field] : undefined;
}
