import type { JSONSchemaProps } from '../schemas/apiextensions.js';
import { child, forbidden, invalid, required, type FieldCause } from '../validation/field-errors.js';

// Kubernetes' structural-schema rules (apiextensions-apiserver pkg/apis/apiextensions/validation and
// pkg/apiserver/schema), the common subset: every specified node has a type unless it is
// int-or-string or preserves unknown fields; properties and additionalProperties are exclusive; the
// root is an object; metadata may only restrict name and generateName.

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const KNOWN_FORMATS = new Set([
  '', 'bsonobjectid', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'cidr', 'mac', 'uuid', 'uuid3', 'uuid4', 'uuid5',
  'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor', 'byte', 'password', 'date', 'duration',
  'datetime', 'date-time', 'int32', 'int64', 'float', 'double',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The causes that make `schema` (at `path`, e.g. `spec.versions[0].schema.openAPIV3Schema`) non-structural or invalid. */
export function validateStructural(schema: unknown, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (!isRecord(schema)) return [required(path, 'schemas are required')];
  const root = schema as JSONSchemaProps;
  if (root.type === undefined || root.type === '') out.push(required(child(path, 'type'), 'must not be empty at the root'));
  else if (root.type !== 'object') out.push(invalid(child(path, 'type'), root.type, 'must be object at the root'));
  walk(root, path, 'root', out, 0);
  const meta = root.properties?.metadata;
  if (isRecord(meta)) checkMetadata(meta as JSONSchemaProps, `${child(path, 'properties')}[metadata]`, out);
  return out;
}

type Where = 'root' | 'property' | 'items' | 'additional';

function walk(s: JSONSchemaProps, path: string, where: Where, out: FieldCause[], depth: number): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    out.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  if (s.type !== undefined && (typeof s.type !== 'string' || !TYPES.has(s.type))) {
    out.push({ reason: 'FieldValueNotSupported', field: child(path, 'type'), message: `Unsupported value: ${JSON.stringify(s.type)}: supported values: "array", "boolean", "integer", "number", "object", "string"` });
  }
  if (intOrString && s.type !== undefined && s.type !== '') {
    out.push(invalid(child(path, 'type'), s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  }
  if ((s.type === undefined || s.type === '') && !intOrString && !preserve && where !== 'root') {
    if (where === 'property') out.push(required(child(path, 'type'), 'must not be empty for specified object fields'));
    if (where === 'items') out.push(required(child(path, 'type'), 'must not be empty for specified array items'));
    if (where === 'additional') out.push(required(child(path, 'type'), 'must not be empty for specified object fields'));
  }
  if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    out.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.format !== undefined && (typeof s.format !== 'string' || !KNOWN_FORMATS.has(s.format))) {
    out.push({ reason: 'FieldValueNotSupported', field: child(path, 'format'), message: `Unsupported value: ${JSON.stringify(s.format)}` });
  }
  if (s.type === 'array' && s.items === undefined) out.push(required(child(path, 'items'), 'must be specified'));
  if (s.pattern !== undefined) {
    try { new RegExp(String(s.pattern), 'u'); } catch { out.push(invalid(child(path, 'pattern'), s.pattern, 'must be a valid regular expression')); }
  }
  for (const k of ['$ref', 'uniqueItems'] as const) {
    if (k === 'uniqueItems' ? s[k] === true : s[k] !== undefined) out.push(forbidden(child(path, k), k === '$ref' ? '$ref is not supported' : 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  if (depth > 64) return;
  if (isRecord(s.properties)) {
    for (const [name, p] of Object.entries(s.properties)) {
      if (isRecord(p)) walk(p as JSONSchemaProps, `${child(path, 'properties')}[${name}]`, 'property', out, depth + 1);
    }
  }
  if (isRecord(s.items)) walk(s.items as JSONSchemaProps, child(path, 'items'), 'items', out, depth + 1);
  else if (Array.isArray(s.items)) out.push(forbidden(child(path, 'items'), 'items must be a schema object and not an array'));
  if (isRecord(s.additionalProperties)) walk(s.additionalProperties as JSONSchemaProps, child(path, 'additionalProperties'), 'additional', out, depth + 1);
}

/** metadata in a CRD schema may only restrict name and generateName to strings (kube: type object, no other keys). */
function checkMetadata(meta: JSONSchemaProps, path: string, out: FieldCause[]): void {
  if (meta.type !== undefined && meta.type !== 'object') out.push(invalid(child(path, 'type'), meta.type, 'must be object'));
  for (const name of Object.keys(meta.properties ?? {})) {
    if (name !== 'name' && name !== 'generateName') out.push(forbidden(`${child(path, 'properties')}[${name}]`, 'must not be specified'));
  }
}
