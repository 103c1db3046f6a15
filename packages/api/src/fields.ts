// Field selectors with the semantics of k8s.io/apimachinery/pkg/fields: `a=b,c!=d,e==f`,
// values escaped with `\`, a missing field reads as "". Which fields a kind supports
// follows the apiserver's per-kind "selectable fields" (pods: spec.nodeName, status.phase...).

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Field values of one object, or a function reading one field ("" or undefined when absent). */
export type FieldSource = Readonly<Record<string, string>> | ((field: string) => string | undefined);

export type FieldSelectorErrorCode = 'FieldSelectorSyntax' | 'FieldSelectorUnsupported';

/** A malformed or unsupported selector; the apiserver answers 400 BadRequest with `message`. */
export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
  constructor(
    readonly code: FieldSelectorErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class FieldSelector {
  private static readonly EVERYTHING = new FieldSelector([]);

  private constructor(readonly requirements: readonly FieldRequirement[]) {}

  static everything(): FieldSelector {
    return FieldSelector.EVERYTHING;
  }

  static of(requirements: readonly FieldRequirement[]): FieldSelector {
    return requirements.length === 0 ? FieldSelector.EVERYTHING : new FieldSelector([...requirements]);
  }

  matches(fields: FieldSource): boolean {
    const get =
      typeof fields === 'function' ? fields : (f: string) => (Object.hasOwn(fields, f) ? fields[f] : undefined);
    return this.requirements.every((r) => {
      const actual = get(r.field) ?? '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }

  /**
   * Matches an object: with a known kind through its selectable fields (objectFields), otherwise
   * by reading dotted paths from the object (getFieldByPath).
   */
  matchesObject(obj: unknown, kind?: string): boolean {
    if (kind !== undefined && Object.hasOwn(SELECTABLE, kind)) return this.matches(objectFields(kind, obj));
    return this.matches((f) => getFieldByPath(obj, f));
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value `field` must equal, if the selector pins one (e.g. spec.nodeName for a kubelet). */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  toString(): string {
    return this.requirements
      .map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`)
      .join(',');
  }
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const n = value[i + 1];
      if (n === undefined || !'\\,='.includes(n)) {
        throw new FieldSelectorError('FieldSelectorSyntax', `invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      }
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorError('FieldSelectorSyntax', `invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '\\') i++;
    else if (selector[i] === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const OPERATORS: FieldOperator[] = ['!=', '==', '='];

export interface ParseFieldSelectorOptions {
  /** Validate fields against this kind's selectable fields (see supportedFieldSelectors). */
  kind?: string;
  /** Validate fields against this list instead (takes precedence over kind). */
  supportedFields?: readonly string[];
}

/**
 * Parses `?fieldSelector=` / `kubectl --field-selector`. The empty string matches everything.
 * Throws FieldSelectorError (→ 400 BadRequest) on bad syntax or an unsupported field.
 */
export function parseFieldSelector(selector: string, opts: ParseFieldSelectorOptions = {}): FieldSelector {
  const supported = opts.supportedFields ?? (opts.kind !== undefined ? supportedFieldSelectors(opts.kind) : undefined);
  const reqs: FieldRequirement[] = [];
  // Kubernetes sorts the raw terms so that equal selectors print identically.
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    let split: FieldRequirement | undefined;
    for (let i = 0; i < term.length && !split; i++) {
      const op = OPERATORS.find((o) => term.startsWith(o, i));
      if (op) split = { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
    if (!split || split.field === '') {
      throw new FieldSelectorError('FieldSelectorSyntax', `invalid selector: '${selector}'; can't understand '${term}'`);
    }
    if (supported && !supported.includes(split.field)) {
      throw new FieldSelectorError(
        'FieldSelectorUnsupported',
        `field label not supported: ${split.field} (supported: ${supported.join(', ')})`,
      );
    }
    reqs.push({ ...split, value: unescapeFieldValue(split.value) });
  }
  return FieldSelector.of(reqs);
}

export function parseFieldSelectorOrError(selector: string, opts: ParseFieldSelectorOptions = {}): FieldSelector | FieldSelectorError {
  try {
    return parseFieldSelector(selector, opts);
  } catch (err) {
    if (err instanceof FieldSelectorError) return err;
    throw err;
  }
}

// --- reading fields from objects ---

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asFieldString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return '';
}

/** Reads a dotted path ("spec.nodeName") as a field-selector string; "" when absent or not a scalar. */
export function getFieldByPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isRecord(cur) || !Object.hasOwn(cur, part)) return '';
    cur = cur[part];
  }
  return asFieldString(cur);
}

type FieldReader = (obj: unknown) => string;
const at =
  (path: string): FieldReader =>
  (obj) =>
    getFieldByPath(obj, path);
const bool =
  (path: string): FieldReader =>
  (obj) =>
    getFieldByPath(obj, path) === 'true' ? 'true' : 'false';

const NAMESPACED_META: Record<string, FieldReader> = { 'metadata.name': at('metadata.name'), 'metadata.namespace': at('metadata.namespace') };
const CLUSTER_META: Record<string, FieldReader> = { 'metadata.name': at('metadata.name') };

// Per kind, the fields the apiserver can select on (Kubernetes' *ToSelectableFields).
const SELECTABLE: Record<string, Record<string, FieldReader>> = {
  Pod: {
    ...NAMESPACED_META,
    'spec.nodeName': at('spec.nodeName'),
    'spec.restartPolicy': at('spec.restartPolicy'),
    'spec.schedulerName': at('spec.schedulerName'),
    'spec.serviceAccountName': at('spec.serviceAccountName'),
    'spec.hostNetwork': bool('spec.hostNetwork'),
    'status.phase': at('status.phase'),
    // Kubernetes selects on the first pod IP only.
    'status.podIP': at('status.podIP'),
    'status.nominatedNodeName': at('status.nominatedNodeName'),
  },
  Node: { ...CLUSTER_META, 'spec.unschedulable': bool('spec.unschedulable') },
  Namespace: { ...CLUSTER_META, 'status.phase': at('status.phase') },
  Event: {
    ...NAMESPACED_META,
    'involvedObject.kind': at('involvedObject.kind'),
    'involvedObject.namespace': at('involvedObject.namespace'),
    'involvedObject.name': at('involvedObject.name'),
    'involvedObject.uid': at('involvedObject.uid'),
    'involvedObject.apiVersion': at('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': at('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': at('involvedObject.fieldPath'),
    reason: at('reason'),
    reportingComponent: at('reportingComponent'),
    source: at('source.component'),
    type: at('type'),
  },
  Secret: { ...NAMESPACED_META, type: at('type') },
  Service: { ...NAMESPACED_META, 'spec.clusterIP': at('spec.clusterIP'), 'spec.type': at('spec.type') },
  ReplicaSet: { ...NAMESPACED_META, 'status.replicas': at('status.replicas') },
  ReplicationController: { ...NAMESPACED_META, 'status.replicas': at('status.replicas') },
  Job: { ...NAMESPACED_META, 'status.successful': at('status.successful') },
  ConfigMap: NAMESPACED_META,
  Endpoints: NAMESPACED_META,
  ServiceAccount: NAMESPACED_META,
  Lease: NAMESPACED_META,
  Deployment: NAMESPACED_META,
  DaemonSet: NAMESPACED_META,
  StatefulSet: NAMESPACED_META,
};

/** Kinds not listed above are assumed namespaced with only metadata.name/namespace selectable. */
export function supportedFieldSelectors(kind: string, namespaced = true): readonly string[] {
  const table = Object.hasOwn(SELECTABLE, kind) ? SELECTABLE[kind] : namespaced ? NAMESPACED_META : CLUSTER_META;
  return Object.keys(table);
}

/** The selectable field values of an object of `kind`, for FieldSelector.matches. */
export function objectFields(kind: string, obj: unknown): Record<string, string> {
  const table = Object.hasOwn(SELECTABLE, kind) ? SELECTABLE[kind] : NAMESPACED_META;
  const out: Record<string, string> = {};
  for (const [field, read] of Object.entries(table)) out[field] = read(obj);
  return out;
}
