import { stringify } from 'yaml';

// -o yaml and -o json as kubectl prints them: keys sorted (kubectl prints unstructured objects,
// whose maps Go encodes in key order), JSON indented by four spaces, YAML with sequences not
// indented under their key and strings YAML 1.1 would misread (timestamps, yes/no) quoted.
// Several objects are wrapped in a `List`.

export type Json = unknown;

/** A deep copy with object keys sorted, so both formats print in kubectl's order. */
export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function toYaml(v: Json): string {
  return stringify(sortKeys(v), { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' });
}

export function toJson(v: Json): string {
  return JSON.stringify(sortKeys(v), null, 4) + '\n';
}

/** The `List` kubectl prints for several objects (`get pods -o yaml`). */
export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
