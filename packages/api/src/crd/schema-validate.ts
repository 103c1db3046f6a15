import type { JSONSchemaProps } from '../schemas/apiextensions.js';
import { formatValue, invalid, notSupported, required, type FieldCause } from '../validation/field-errors.js';

// Validation of a custom object against its version's OpenAPI v3 schema (kube runs go-openapi's
// validator and converts its errors to field errors): the keywords structural schemas use, worded as
// kube words them, e.g. `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.

const INT32 = 2 ** 31;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type name go-openapi reports for a value. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isRecord(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    default: return true;
  }
}

function typeError(path: string, v: unknown, type: string): FieldCause {
  const t = typeName(v);
  return invalid(path, t, `${path} in body must be of type ${type}: ${JSON.stringify(t)}`);
}

function formatOk(v: unknown, format: string): boolean {
  if (typeof v === 'number') {
    if (format === 'int32') return v >= -INT32 && v < INT32;
    if (format === 'int64') return Number.isSafeInteger(v) || Number.isInteger(v);
    return true;
  }
  if (typeof v !== 'string') return true;
  switch (format) {
    case 'date-time': case 'datetime': return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T')));
    case 'date': return DATE.test(v) && !Number.isNaN(Date.parse(v));
    case 'uuid': return UUID.test(v);
    case 'byte': return /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0;
    default: return true;
  }
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Validates `value` at `path` (e.g. `spec`) against `schema`; `path` '' is the object's root. */
export function validateAgainstSchema(value: unknown, schema: JSONSchemaProps, path = ''): FieldCause[] {
  const out: FieldCause[] = [];
  check(value, schema, path, out);
  return out;
}

function check(v: unknown, s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  const where = path === '' ? '<root>' : path;
  if (v === null) {
    if (!s.nullable && s.type && s['x-kubernetes-preserve-unknown-fields'] !== true) out.push(typeError(where, v, s.type));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) {
      out.push(invalid(where, typeName(v), `${where} in body must be of type integer,string: ${JSON.stringify(typeName(v))}`));
      return;
    }
  } else if (s.type && !matchesType(v, s.type)) {
    out.push(typeError(where, v, s.type));
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push(notSupported(where, v, s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (s.format && !formatOk(v, s.format)) {
    out.push(invalid(where, v, `${where} in body must be of type ${s.format}: ${formatValue(v)}`));
  }
  if (typeof v === 'number') checkNumber(v, s, where, out);
  if (typeof v === 'string') checkString(v, s, where, out);
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push(invalid(where, v, `${where} in body should have at least ${s.minItems} items`));
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      out.push({ reason: 'FieldValueTooMany', field: where, message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
    }
    if (s.items) v.forEach((item, i) => check(item, s.items!, `${where}[${i}]`, out));
  }
  if (isRecord(v)) checkObject(v, s, path, where, out);
  for (const sub of s.allOf ?? []) check(v, sub, path, out);
}

function checkNumber(v: number, s: JSONSchemaProps, where: string, out: FieldCause[]): void {
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum) {
      out.push(invalid(where, v, `${where} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    }
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum) {
      out.push(invalid(where, v, `${where} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
    }
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf !== 0 && !Number.isInteger(v / s.multipleOf)) {
    out.push(invalid(where, v, `${where} in body should be a multiple of ${s.multipleOf}`));
  }
}

function checkString(v: string, s: JSONSchemaProps, where: string, out: FieldCause[]): void {
  const len = [...v].length;
  if (s.minLength !== undefined && len < s.minLength) out.push(invalid(where, v, `${where} in body should be at least ${s.minLength} chars long`));
  if (s.maxLength !== undefined && len > s.maxLength) {
    out.push({ reason: 'FieldValueTooLong', field: where, message: `Too long: may not be more than ${s.maxLength} bytes` });
  }
  if (s.pattern !== undefined) {
    let re: RegExp | undefined;
    try { re = new RegExp(s.pattern, 'u'); } catch { /* refused when the CRD was written */ }
    if (re && !re.test(v)) out.push(invalid(where, v, `${where} in body should match '${s.pattern}'`));
  }
}

function checkObject(v: Record<string, unknown>, s: JSONSchemaProps, path: string, where: string, out: FieldCause[]): void {
  for (const r of s.required ?? []) {
    if (v[r] === undefined) out.push(required(childPath(path, r)));
  }
  const n = Object.keys(v).length;
  if (s.minProperties !== undefined && n < s.minProperties) out.push(invalid(where, n, `${where} in body should have at least ${s.minProperties} properties`));
  if (s.maxProperties !== undefined && n > s.maxProperties) out.push({ reason: 'FieldValueTooMany', field: where, message: `Too many: ${n}: must have at most ${s.maxProperties} items` });
  for (const [k, val] of Object.entries(v)) {
    // metadata is validated as ObjectMeta, as for built-in kinds
    if (path === '' && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
    const p = s.properties?.[k];
    if (p) check(val, p, childPath(path, k), out);
    else if (isRecord(s.additionalProperties)) check(val, s.additionalProperties as JSONSchemaProps, childPath(path, k), out);
  }
}
