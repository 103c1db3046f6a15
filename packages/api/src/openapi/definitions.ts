import { z } from 'zod';
import { patchMetaForKind } from '../patch/patch-meta.js';
import type { ResourceInfo } from '../registry-types.js';
import { registry } from '../registry.js';
import { walkSchema, type Definitions, type JsonSchema } from './json-schema.js';
import { INT_OR_STRING, LIST_META, QUANTITY, SUB_SCHEMA_NAMES, TIME, kindDefinitionName } from './names.js';
import { applyPatchMeta } from './patch-extensions.js';

// OpenAPI definitions for every served kind, generated from the zod schemas (one source of fields, types and
// descriptions) and patch-meta.ts (one source of list semantics). `$ref`s point at `#/definitions/<name>`
// (Swagger 2.0); the v3 document rewrites them (see toOpenApiV3Schemas).

export interface GroupVersionKind { group: string; version: string; kind: string }

export interface GeneratedDefinitions {
  definitions: Definitions;
  /** definition name of each served kind (and of its List), keyed `apiVersion/kind` */
  kinds: ReadonlyArray<{ info: ResourceInfo; name: string; listName: string }>;
}

/** Integer fields Kubernetes declares int64 (all others are int32). */
const INT64_FIELDS = new Set([
  'generation', 'observedGeneration', 'deletionGracePeriodSeconds', 'terminationGracePeriodSeconds',
  'activeDeadlineSeconds', 'remainingItemCount', 'gracePeriodSeconds', 'expirationSeconds', 'tolerationSeconds',
  'count', 'runAsUser', 'runAsGroup', 'fsGroup', 'leaseTransitions',
]);

const TYPE_META_DOCS = {
  apiVersion: 'The versioned schema of this object (group/version, or just the version for the core group).',
  kind: 'The kind of this object, in CamelCase (for example Pod or Deployment).',
  metadata: "Standard object metadata: name, namespace, labels, annotations and the server's bookkeeping.",
};

/** The schema the registry parses with, without its null-stripping preprocess step. */
function rawSchema(info: ResourceInfo): z.ZodType {
  return info.schema instanceof z.ZodPipe ? (info.schema.out as z.ZodType) : info.schema;
}

function cleanUp(node: JsonSchema, property?: string): void {
  delete node.$schema;
  delete node.$id;
  // zod wraps a `$ref` in allOf when it carries siblings (defaults); the base form is a plain `$ref`
  if (node.allOf?.length === 1 && node.allOf[0].$ref && Object.keys(node.allOf[0]).length === 1) {
    node.$ref = node.allOf[0].$ref;
    delete node.allOf;
  }
  if (node.type === 'integer') {
    if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    node.format ??= property && INT64_FIELDS.has(property) ? 'int64' : 'int32';
  }
  if (node.type === 'number') node.format ??= 'double';
  // z.unknown() (fieldsV1, divisor): kubectl explain needs a type; Kubernetes publishes free-form JSON as object
  if (!node.type && !node.$ref && !node.allOf && !node.oneOf && !node.anyOf && !node.enum) node.type = 'object';
  // looseObject emits `additionalProperties: {}`; Kubernetes' structs have none (maps keep theirs).
  if (node.properties && typeof node.additionalProperties === 'object' && Object.keys(node.additionalProperties).length === 0) {
    delete node.additionalProperties;
  }
  // defaults and prefaults are applied by the server; they are not part of the published schema
  delete node.default;
  if (node.required?.length === 0) delete node.required;
}

function withDescription(base: JsonSchema, generated: JsonSchema | undefined, fallback: string): JsonSchema {
  return { ...base, description: generated?.description ?? fallback };
}

function generate(): GeneratedDefinitions {
  const ids = z.registry<{ id: string }>();
  for (const [schema, id] of SUB_SCHEMA_NAMES) ids.add(schema, { id });
  const kinds = registry.all().map((info) => {
    const name = kindDefinitionName(info.group, info.version, info.kind);
    return { info, name, listName: `${name}List` };
  });
  for (const k of kinds) ids.add(rawSchema(k.info), { id: k.name });

  const { schemas } = z.toJSONSchema(ids, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
    uri: (id) => `#/definitions/${id}`,
  }) as { schemas: Definitions };
  const definitions: Definitions = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === '__shared') continue;
    walkSchema(schema, cleanUp);
    definitions[name] = schema;
  }

  // Kubernetes publishes these as scalar strings with a format, whatever their Go representation.
  definitions[TIME] = withDescription({ type: 'string', format: 'date-time' }, definitions[TIME],
    'A point in time in RFC 3339 form, such as 2024-01-02T03:04:05Z.');
  definitions[INT_OR_STRING] = withDescription({ type: 'string', format: 'int-or-string' }, definitions[INT_OR_STRING],
    'Either a whole number or a string: a port number or port name, a count or a percentage such as 25%.');
  definitions[QUANTITY] = withDescription({ type: 'string' }, definitions[QUANTITY],
    'An amount of a resource, such as 500m (half a CPU), 2 or 128Mi.');

  for (const { info, name, listName } of kinds) {
    const def = definitions[name];
    const gvk: GroupVersionKind = { group: info.group, version: info.version, kind: info.kind };
    def['x-kubernetes-group-version-kind'] = [gvk];
    def.required = def.required?.filter((f) => f !== 'apiVersion' && f !== 'kind');
    if (def.required?.length === 0) delete def.required;
    for (const [field, description] of Object.entries(TYPE_META_DOCS)) {
      const prop = def.properties?.[field];
      if (prop && !prop.description) prop.description = description;
    }
    const meta = patchMetaForKind(info.kind);
    if (meta) applyPatchMeta(definitions, def, meta);
    definitions[listName] = {
      description: `A list of ${info.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string', description: TYPE_META_DOCS.apiVersion },
        items: { type: 'array', description: `The ${info.plural}.`, items: { $ref: `#/definitions/${name}` } },
        kind: { type: 'string', description: TYPE_META_DOCS.kind },
        metadata: { $ref: `#/definitions/${LIST_META}`, description: 'Standard list metadata.' },
      },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: info.listKind }],
    };
  }
  return { definitions, kinds };
}

let cached: GeneratedDefinitions | undefined;

/** The definitions, generated on first use and then shared (callers must not mutate them). */
export function openApiDefinitions(): GeneratedDefinitions {
  cached ??= generate();
  return cached;
}
