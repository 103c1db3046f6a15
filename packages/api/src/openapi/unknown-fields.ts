import { openApiDefinitions } from './definitions.js';
import { refName, type JsonSchema } from './json-schema.js';

// Unknown-field detection for `fieldValidation=Strict|Warn` (what `kubectl apply --validate=strict` asks for),
// read from the generated definitions. Our zod schemas are loose and do not model every Kubernetes field, so
// only structs whose field set is Kubernetes' complete one are checked: every kind's top level, ObjectMeta and
// the workload specs below. Elsewhere an unmodelled but valid field must not be refused.

const CLOSED = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  'io.k8s.api.core.v1.PodTemplateSpec',
  'io.k8s.api.apps.v1.DeploymentSpec',
  'io.k8s.api.apps.v1.ReplicaSetSpec',
  'io.k8s.api.apps.v1.DaemonSetSpec',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(defs: Record<string, JsonSchema>, name: string, value: unknown, path: string, out: string[]): void {
  const def = defs[name];
  if (!def || !isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue; // strategic-merge-patch directives ($patch, $setElementOrder/...)
    const prop = def.properties?.[key];
    const at = path ? `${path}.${key}` : key;
    if (!prop) { out.push(at); continue; }
    const ref = prop.$ref ?? prop.allOf?.find((s) => s.$ref)?.$ref;
    if (ref && CLOSED.has(refName(ref))) walk(defs, refName(ref), child, at, out);
  }
}

/** The dotted paths of fields in `obj` that its kind does not have (`spec`, `metadata.labelz`), in order. */
export function unknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const { definitions, kinds } = openApiDefinitions();
  const k = kinds.find((x) => x.info.apiVersion === apiVersion && x.info.kind === kind);
  const out: string[] = [];
  if (k) walk(definitions, k.name, obj, '', out);
  return out;
}
