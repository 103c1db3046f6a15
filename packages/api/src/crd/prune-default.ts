import type { JSONSchemaProps } from '../schemas/apiextensions.js';

// Structural defaulting and pruning of custom objects (apiextensions-apiserver pkg/apiserver/schema/
// defaulting and pruning): `default`s fill absent fields (and replace nulls in non-nullable fields),
// other nulls in non-nullable fields are dropped, then fields the schema does not specify are removed,
// except under x-kubernetes-preserve-unknown-fields. apiVersion, kind and metadata are never pruned at the root.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Fills defaults in place, depth first: a defaulted object gets its own fields' defaults too. */
export function applySchemaDefaults(v: unknown, s: JSONSchemaProps): void {
  if (isRecord(v)) {
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      if (p.default !== undefined && (v[k] === undefined || (v[k] === null && !p.nullable))) v[k] = clone(p.default);
      else if (v[k] === null && !p.nullable) delete v[k];
      if (v[k] !== undefined) applySchemaDefaults(v[k], p);
    }
    if (isRecord(s.additionalProperties)) {
      const ap = s.additionalProperties as JSONSchemaProps;
      for (const k of Object.keys(v)) if (!s.properties?.[k]) applySchemaDefaults(v[k], ap);
    }
  } else if (Array.isArray(v) && s.items) {
    v.forEach((item, i) => {
      if (item === null && s.items!.default !== undefined && !s.items!.nullable) v[i] = clone(s.items!.default);
      applySchemaDefaults(v[i], s.items!);
    });
  }
}

/** Removes unknown fields in place. `root` keeps apiVersion, kind and metadata. */
export function pruneUnknown(v: unknown, s: JSONSchemaProps, root = false): void {
  if (isRecord(v)) {
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const ap = s.additionalProperties;
    for (const k of Object.keys(v)) {
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const p = s.properties?.[k];
      if (p) pruneUnknown(v[k], p);
      else if (isRecord(ap)) pruneUnknown(v[k], ap as JSONSchemaProps);
      else if (!preserve && ap !== true) delete v[k];
    }
  } else if (Array.isArray(v) && s.items) {
    for (const item of v) pruneUnknown(item, s.items);
  }
}
