/**
 * PKCS#10 certificate requests as the CSR API reads them (kube's certificates.ParseCSR + CheckSignature): a small,
 * synchronous DER reader over node:crypto, so validation and the certificate controllers need no x509 library.
 * It reads what Kubernetes looks at: the subject's CN and O, the requested SANs, and the public key; and it
 * verifies the request's self-signature.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface CertificateRequestInfo {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  publicKey: KeyObject;
  /** The SubjectPublicKeyInfo as PEM (what a signer puts in the certificate). */
  publicKeyPem: string;
}

export class CertificateRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateRequestError';
  }
}

interface Tlv { tag: number; start: number; end: number; headerStart: number }

function readTlv(buf: Buffer, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new CertificateRequestError('x509: malformed certificate request');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new CertificateRequestError('x509: malformed certificate request');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new CertificateRequestError('x509: malformed certificate request');
  return { tag, start, end, headerStart: at };
}

function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = readTlv(buf, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

function expect(t: Tlv | undefined, tag: number): Tlv {
  if (!t || t.tag !== tag) throw new CertificateRequestError('x509: malformed certificate request');
  return t;
}

function oid(buf: Buffer, t: Tlv): string {
  const b = buf.subarray(t.start, t.end);
  if (b.length === 0) return '';
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) { parts.push(v); v = 0; }
  }
  return parts.join('.');
}

const OID = {
  commonName: '2.5.4.3', organization: '2.5.4.10', extensionRequest: '1.2.840.113549.1.9.14', subjectAltName: '2.5.29.17',
};

/** Signature algorithms by OID: the digest node:crypto.verify takes (null for Ed25519). */
const SIGNATURE_DIGESTS: Record<string, { digest: string | null; failure: string }> = {
  '1.2.840.10045.4.3.2': { digest: 'sha256', failure: 'x509: ECDSA verification failure' },
  '1.2.840.10045.4.3.3': { digest: 'sha384', failure: 'x509: ECDSA verification failure' },
  '1.2.840.10045.4.3.4': { digest: 'sha512', failure: 'x509: ECDSA verification failure' },
  '1.2.840.113549.1.1.11': { digest: 'sha256', failure: 'crypto/rsa: verification error' },
  '1.2.840.113549.1.1.12': { digest: 'sha384', failure: 'crypto/rsa: verification error' },
  '1.2.840.113549.1.1.13': { digest: 'sha512', failure: 'crypto/rsa: verification error' },
  '1.3.101.112': { digest: null, failure: 'x509: Ed25519 verification failure' },
};

function ipString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
  }
  return b.toString('hex');
}

/** The DER of the first `CERTIFICATE REQUEST` PEM block, with kube's message when there is none. */
function pemBlock(pem: string): Buffer {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m || m[1] !== 'CERTIFICATE REQUEST') throw new CertificateRequestError('PEM block type must be CERTIFICATE REQUEST');
  return Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
}

/** Parses a PEM PKCS#10 request and checks its signature; throws CertificateRequestError with Go's wording. */
export function parseCertificateRequest(pem: string): CertificateRequestInfo {
  const der = pemBlock(pem);
  const top = expect(readTlv(der, 0), 0x30);
  const [criTlv, algTlv, sigTlv] = children(der, top);
  const cri = expect(criTlv, 0x30);
  const alg = children(der, expect(algTlv, 0x30));
  const sig = expect(sigTlv, 0x03);
  const [, subjectTlv, spkiTlv, attrsTlv] = children(der, cri);
  const out: CertificateRequestInfo = {
    commonName: '', organizations: [], dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [],
    publicKey: undefined as unknown as KeyObject, publicKeyPem: '',
  };
  for (const set of children(der, expect(subjectTlv, 0x30))) {
    for (const atv of children(der, set)) {
      const [type, value] = children(der, atv);
      if (!type || !value) continue;
      const v = der.subarray(value.start, value.end).toString('utf8');
      const id = oid(der, type);
      if (id === OID.commonName) out.commonName = v;
      if (id === OID.organization) out.organizations.push(v);
    }
  }
  const spki = expect(spkiTlv, 0x30);
  const spkiDer = der.subarray(spki.headerStart, spki.end);
  try {
    out.publicKey = createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    throw new CertificateRequestError('x509: unsupported public key algorithm');
  }
  out.publicKeyPem = out.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  if (attrsTlv && attrsTlv.tag === 0xa0) {
    for (const attr of children(der, attrsTlv)) {
      const [type, values] = children(der, attr);
      if (!type || !values || oid(der, type) !== OID.extensionRequest) continue;
      for (const exts of children(der, values)) {
        for (const ext of children(der, exts)) {
          const parts = children(der, ext);
          if (oid(der, parts[0]!) !== OID.subjectAltName) continue;
          const value = parts[parts.length - 1]!;
          const names = readTlv(der, value.start, value.end);
          for (const n of children(der, names)) {
            const bytes = der.subarray(n.start, n.end);
            if (n.tag === 0x81) out.emailAddresses.push(bytes.toString('utf8'));
            else if (n.tag === 0x82) out.dnsNames.push(bytes.toString('utf8'));
            else if (n.tag === 0x86) out.uris.push(bytes.toString('utf8'));
            else if (n.tag === 0x87) out.ipAddresses.push(ipString(bytes));
          }
        }
      }
    }
  }
  const algorithm = SIGNATURE_DIGESTS[oid(der, alg[0]!)];
  if (!algorithm) throw new CertificateRequestError('x509: cannot verify signature: algorithm unimplemented');
  // a BIT STRING's first content byte counts unused bits (0 for signatures)
  const signature = der.subarray(sig.start + 1, sig.end);
  const ok = verify(algorithm.digest, der.subarray(cri.headerStart, cri.end), out.publicKey, signature);
  if (!ok) throw new CertificateRequestError(algorithm.failure);
  return out;
}

/** `spec.request` as stored (base64 of the PEM) → the PEM text. */
export function requestPem(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

