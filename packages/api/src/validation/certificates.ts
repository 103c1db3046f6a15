import { CertificateRequestError, parseCertificateRequest, requestPem } from '../certificate-request.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.js';
import {
  KEY_USAGES, SIGNER_LEGACY_UNKNOWN, type CertificateSigningRequest, type CertificateSigningRequestCondition,
} from '../schemas/certificates.js';
import { type FieldCause, duplicate, forbidden, index, invalid, invalidRendered, notSupported, required, tooLong } from './field-errors.js';

// certificates.k8s.io/v1 validation (pkg/apis/certificates/validation). Compatibility leniencies for objects that
// already break a rule (duplicate usages, both Approved and Denied...) apply when the stored object breaks it too.
// Which subresource may change what (approval conditions, the certificate) is the apiserver's strategy's job: it
// resets the rest from the stored object before validation, as kube's PrepareForUpdate does.

const VALID_USAGES = new Set<string>(KEY_USAGES);
const TRUE_ONLY = new Set(['Approved', 'Denied', 'Failed']);
const STATUS_VALUES = ['False', 'True', 'Unknown'];
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

/** kube's ValidateSignerName: `example.com/signer-name`. */
export function validateSignerName(field: string, name: string): FieldCause[] {
  if (name === '') return [required(field)];
  const segments = name.split('/');
  if (segments.length !== 2) return [invalid(field, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, path] = segments as [string, string];
  const causes: FieldCause[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX) causes.push(tooLong(field, DNS1123_SUBDOMAIN_MAX));
  const labels = domain.split('.');
  for (const l of labels) {
    const errs = isDNS1123Label(l);
    if (errs.length === 0) continue;
    for (const e of errs) causes.push(invalid(field, domain, `validating label ${JSON.stringify(l)}: ${e}`));
    break;
  }
  if (labels.length < 2) causes.push(invalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  const maxPath = DNS1123_SUBDOMAIN_MAX + DNS1123_LABEL_MAX + 1;
  if (path.length > maxPath) causes.push(tooLong(field, maxPath));
  for (const e of isDNS1123Subdomain(path)) causes.push(invalid(field, path, e));
  return causes;
}

/** The error of `status.certificate` (base64 of PEM CERTIFICATE blocks), or undefined when it is acceptable. */
export function certificateError(base64: string | undefined): string | undefined {
  if (!base64) return undefined;
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  let blocks = 0;
  for (const m of pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)) {
    if (m[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(m[1])}`;
    if (/^[A-Za-z-]+:/m.test(m[2]!)) return 'no PEM block headers are permitted';
    blocks++;
  }
  return blocks === 0 ? 'must contain at least one CERTIFICATE PEM block' : undefined;
}

function conditionsOf(csr: CertificateSigningRequest, type?: string): CertificateSigningRequestCondition[] {
  return (csr.status?.conditions ?? []).filter((c) => type === undefined || c.type === type);
}

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

function validateConditions(csr: CertificateSigningRequest, old: CertificateSigningRequest | undefined): FieldCause[] {
  const causes: FieldCause[] = [];
  const oldTypes = old ? conditionsOf(old).map((c) => c.type) : [];
  const allowBoth = oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDuplicates = hasDuplicates(oldTypes);
  const allowEmpty = oldTypes.includes('');
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(csr).forEach((c, i) => {
    const at = index('status.conditions', i);
    if (!allowEmpty && c.type === '') causes.push(required(`${at}.type`));
    const allowed = TRUE_ONLY.has(c.type) ? ['True'] : STATUS_VALUES;
    if (c.status === '') causes.push(required(`${at}.status`));
    else if (!allowed.includes(c.status)) causes.push(notSupported(`${at}.status`, c.status, allowed));
    if (!allowBoth) {
      if (c.type === 'Approved') { approved = true; if (denied) causes.push(invalid(`${at}.type`, c.type, 'Approved and Denied conditions are mutually exclusive')); }
      if (c.type === 'Denied') { denied = true; if (approved) causes.push(invalid(`${at}.type`, c.type, 'Approved and Denied conditions are mutually exclusive')); }
    }
    if (!allowDuplicates && seen.has(c.type)) causes.push(duplicate(`${at}.type`, c.type));
    seen.add(c.type);
  });
  return causes;
}

export function validateCertificateSigningRequest(csr: CertificateSigningRequest, old?: CertificateSigningRequest): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = csr.spec;
  try {
    parseCertificateRequest(requestPem(spec.request));
  } catch (err) {
    if (!(err instanceof CertificateRequestError)) throw err;
    // Go prints the []byte value; the PEM is long, so it is elided here
    causes.push(invalidRendered('spec.request', '[]byte{...}', err.message));
  }
  if (spec.usages.length === 0) causes.push(required('spec.usages'));
  if (!old?.spec.usages.some((u) => !VALID_USAGES.has(u))) {
    spec.usages.forEach((u, i) => { if (!VALID_USAGES.has(u)) causes.push(notSupported(index('spec.usages', i), u, [...VALID_USAGES].sort())); });
  }
  if (!(old && hasDuplicates(old.spec.usages))) {
    const seen = new Set<string>();
    spec.usages.forEach((u, i) => { if (seen.has(u)) causes.push(duplicate(index('spec.usages', i), u)); seen.add(u); });
  }
  if (spec.signerName === SIGNER_LEGACY_UNKNOWN && old?.spec.signerName !== SIGNER_LEGACY_UNKNOWN) {
    causes.push(invalid('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  } else if (spec.signerName !== SIGNER_LEGACY_UNKNOWN) {
    causes.push(...validateSignerName('spec.signerName', spec.signerName));
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < 600) {
    causes.push(invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  causes.push(...validateConditions(csr, old));
  const certificate = csr.status?.certificate;
  const arbitrary = old !== undefined && ((old.status?.certificate ?? '') === (certificate ?? '') || certificateError(old.status?.certificate) !== undefined);
  const certErr = arbitrary ? undefined : certificateError(certificate);
  if (certErr) causes.push(invalid('status.certificate', '<certificate data>', certErr));
  return causes;
}

/** What no update may do: remove an Approved/Denied/Failed condition, or replace an issued certificate. */
export function validateCertificateSigningRequestUpdate(csr: CertificateSigningRequest, old: CertificateSigningRequest): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (conditionsOf(csr, t).length < conditionsOf(old, t).length) causes.push(forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(t)}`));
  }
  const was = old.status?.certificate ?? '';
  if (was !== '' && (csr.status?.certificate ?? '') !== was) causes.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  return causes;
}
