import { refName, walkSchema, type Definitions, type JsonSchema } from './json-schema.js';

// The two wire forms of the generated definitions. The base form is Swagger 2.0's (`#/definitions/<name>`, a
// `$ref` may carry a description beside it); OpenAPI v3 ignores siblings of `$ref`, so Kubernetes' v3
// documents wrap such a reference in `allOf`, and references point into `#/components/schemas/`.

const V3_PREFIX = '#/components/schemas/';

function toV3(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, toV3(v)]));
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = toV3(value as JsonSchema);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      out[key] = (value as JsonSchema[]).map(toV3);
    } else if (key !== '$ref') {
      out[key] = value;
    }
  }
  if (node.$ref) {
    const ref = { $ref: V3_PREFIX + refName(node.$ref) };
    if (Object.keys(out).length === 0) return ref;
    out.allOf = [ref, ...(out.allOf ?? [])];
  }
  return out;
}

/** `names` and every definition they reach through `$ref`s. */
export function referencedClosure(defs: Definitions, names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const pending = [...names];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    walkSchema(defs[name], (node) => { if (node.$ref) pending.push(refName(node.$ref)); });
  }
  return [...seen].sort();
}

/** The `components.schemas` of a v3 document holding `names` (and what they reference). */
export function v3Schemas(defs: Definitions, names: Iterable<string>): Definitions {
  const out: Definitions = {};
  for (const name of referencedClosure(defs, names)) out[name] = toV3(defs[name]);
  // Kubernetes' v3 documents spell these two as the JSON forms a manifest may use (`cpu: 1`, `port: http`).
  const oneOf = (name: string, types: string[]) => {
    const def = out[name];
    if (!def) return;
    delete def.type;
    def.oneOf = types.map((type) => ({ type }));
  };
  oneOf('io.k8s.apimachinery.pkg.api.resource.Quantity', ['string', 'number']);
  oneOf('io.k8s.apimachinery.pkg.util.intstr.IntOrString', ['integer', 'string']);
  return out;
}
