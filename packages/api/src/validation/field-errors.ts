// field.Error from apimachinery: a reason (the cause's `reason` on the wire), a field path and a
// message worded as Kubernetes words it (`Required value`, `Invalid value: "x": detail`, ...).

export interface FieldCause {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, ... */
  reason: string;
  message: string;
  /** Kubernetes field path, e.g. `spec.containers[0].image` */
  field: string;
}

/** Renders a bad value the way Kubernetes' messages quote it: strings quoted, numbers bare. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A map as Go's %#v prints it, e.g. `map[string]string{"app":"web"}`, keys sorted. */
export function formatStringMap(map: Record<string, string> | undefined): string {
  if (!map) return 'map[string]string(nil)';
  const body = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

function withDetail(base: string, detail?: string): string {
  return detail ? `${base}: ${detail}` : base;
}

export function required(field: string, detail?: string): FieldCause {
  return { reason: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function invalid(field: string, value: unknown, detail?: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

/** Like invalid, for values whose rendering is already done (Go-style maps, structs). */
export function invalidRendered(field: string, rendered: string, detail?: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${rendered}`, detail) };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldCause {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${formatValue(value)}${supported.length ? `: supported values: ${list}` : ''}`,
  };
}

export function duplicate(field: string, value: unknown): FieldCause {
  return { reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}

export function notFound(field: string, value: unknown): FieldCause {
  return { reason: 'FieldValueNotFound', field, message: `Not found: ${formatValue(value)}` };
}

export function tooLong(field: string, maxBytes: number): FieldCause {
  return { reason: 'FieldValueTooLong', field, message: `Too long: must have at most ${maxBytes} bytes` };
}

/** Joins a parent path and a child: `spec` + `containers` → `spec.containers`. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** Map keys are written in brackets: `metadata.labels[app]`, `resources.limits[cpu]`. */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

/** Kubernetes' IsValidPortNum message. */
export const PORT_RANGE_MESSAGE = 'must be between 1 and 65535, inclusive';

export function validatePortNumber(field: string, port: number): FieldCause[] {
  return port >= 1 && port <= 65535 ? [] : [invalid(field, port, PORT_RANGE_MESSAGE)];
}

export function nonNegative(field: string, value: number | undefined): FieldCause[] {
  return value !== undefined && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}
