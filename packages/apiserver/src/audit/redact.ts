/**
 * What an audit event may show of a request or response body. Kubernetes logs bodies as they are and leaves
 * keeping Secrets out to the policy; tinykube never writes credentials, at any level:
 * - Secret `data` / `stringData` values (keys are kept) and the `kubectl.kubernetes.io/last-applied-configuration`
 *   annotation (kubectl apply copies the whole Secret into it), wherever a Secret appears: the object itself,
 *   SecretLists, Tables, `List`s. Bodies sent to the secrets resource count as Secrets whatever their kind (merge
 *   patches carry none); JSON patches to it lose every `value`.
 * - TokenRequest `status.token` and TokenReview `spec.token`, likewise by kind or by target resource.
 * With omitManagedFields, metadata.managedFields goes from the object and from list items (as kube does).
 * Copy-on-write: the input is never mutated (response objects may be shared cached objects).
 */
import { isRecord } from '../util.js';

export const REDACTED = 'REDACTED';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface BodyTarget { apiGroup: string; resource: string; subresource: string }

type Rec = Record<string, unknown>;
type Redactor = (o: Rec) => Rec;

export function sanitizeBody(body: unknown, target: BodyTarget, omitManagedFields: boolean): unknown {
  let out = walk(body);
  const asTarget = redactorForTarget(target);
  if (asTarget) {
    if (Array.isArray(out) && target.resource === 'secrets') out = out.map((op) => (isRecord(op) && 'value' in op ? { ...op, value: REDACTED } : op));
    else if (isRecord(out)) out = asTarget(out);
  }
  if (omitManagedFields && isRecord(out)) out = withoutManagedFields(out);
  return out;
}

function redactorForTarget(t: BodyTarget): Redactor | undefined {
  if (t.apiGroup === '' && t.resource === 'secrets' && t.subresource === '') return redactSecret;
  if (t.apiGroup === '' && t.resource === 'serviceaccounts' && t.subresource === 'token') return redactTokenRequest;
  if (t.apiGroup === 'authentication.k8s.io' && t.resource === 'tokenreviews') return redactTokenReview;
  return undefined;
}

const BY_KIND: Record<string, Redactor> = { Secret: redactSecret, TokenRequest: redactTokenRequest, TokenReview: redactTokenReview };

function walk(v: unknown): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const w = walk(v[i]);
      if (w !== v[i]) (out ??= v.slice())[i] = w;
    }
    return out ?? v;
  }
  if (!isRecord(v)) return v;
  let out: Rec | undefined;
  for (const k of Object.keys(v)) {
    const w = walk(v[k]);
    if (w !== v[k]) (out ??= { ...v })[k] = w;
  }
  const cur = out ?? v;
  const redact = typeof cur.kind === 'string' ? BY_KIND[cur.kind] : undefined;
  return redact ? redact(cur) : cur;
}

function maskValues(m: unknown): unknown {
  if (!isRecord(m)) return m === undefined ? undefined : REDACTED;
  const out: Rec = {};
  for (const k of Object.keys(m)) out[k] = REDACTED;
  return out;
}

function redactSecret(o: Rec): Rec {
  const annotations = isRecord(o.metadata) && isRecord(o.metadata.annotations) ? o.metadata.annotations : undefined;
  if (o.data === undefined && o.stringData === undefined && !(annotations && LAST_APPLIED in annotations)) return o;
  const out: Rec = { ...o };
  if (o.data !== undefined) out.data = maskValues(o.data);
  if (o.stringData !== undefined) out.stringData = maskValues(o.stringData);
  if (annotations && LAST_APPLIED in annotations) {
    out.metadata = { ...(o.metadata as Rec), annotations: { ...annotations, [LAST_APPLIED]: REDACTED } };
  }
  return out;
}

function redactField(o: Rec, section: 'status' | 'spec', field: string): Rec {
  const s = o[section];
  if (!isRecord(s) || !(field in s)) return o;
  return { ...o, [section]: { ...s, [field]: REDACTED } };
}

function redactTokenRequest(o: Rec): Rec { return redactField(o, 'status', 'token'); }
function redactTokenReview(o: Rec): Rec { return redactField(o, 'spec', 'token'); }

function dropManagedFields(o: Rec): Rec {
  if (!isRecord(o.metadata) || !('managedFields' in o.metadata)) return o;
  const { managedFields: _drop, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

function withoutManagedFields(o: Rec): Rec {
  let out = dropManagedFields(o);
  if (Array.isArray(out.items)) {
    const items = out.items.map((it) => (isRecord(it) ? dropManagedFields(it) : it));
    if (items.some((it, i) => it !== (out.items as unknown[])[i])) out = { ...out, items };
  }
  return out;
}
