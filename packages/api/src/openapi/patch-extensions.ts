import type { PatchMeta } from '../patch/patch-meta.js';
import { refName, type Definitions, type JsonSchema } from './json-schema.js';

// Writes patch-meta.ts (the one source of list merge semantics) onto the generated definitions as Kubernetes'
// OpenAPI extensions: `x-kubernetes-patch-strategy` / `-patch-merge-key` for strategic merge patch (kubectl),
// `x-kubernetes-list-type` / `-list-map-keys` for server-side apply.

function resolve(defs: Definitions, node: JsonSchema): JsonSchema {
  const ref = node.$ref ?? node.allOf?.find((s) => s.$ref)?.$ref;
  return ref ? defs[refName(ref)] ?? node : node;
}

export function applyPatchMeta(defs: Definitions, target: JsonSchema, meta: PatchMeta): void {
  const object = resolve(defs, target);
  for (const [field, fm] of Object.entries(meta)) {
    const prop = object.properties?.[field];
    if (!prop) continue;
    if (fm.merge && prop.type === 'array') {
      prop['x-kubernetes-patch-strategy'] = 'merge';
      if (fm.mergeKey) {
        prop['x-kubernetes-patch-merge-key'] = fm.mergeKey;
        prop['x-kubernetes-list-type'] = 'map';
        prop['x-kubernetes-list-map-keys'] = [fm.mergeKey];
      } else {
        prop['x-kubernetes-list-type'] = 'set';
      }
    }
    if (fm.replace) prop['x-kubernetes-patch-strategy'] = 'replace';
    if (fm.fields) applyPatchMeta(defs, prop.type === 'array' && prop.items ? prop.items : prop, fm.fields);
  }
}
