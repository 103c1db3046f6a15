/**
 * Certificates and keys with @peculiar/x509 over Node's WebCrypto: ECDSA P-256 keys (PKCS#8 PEM), X.509 v3
 * certificates with kube's usages (CA, serving, client), and PKCS#10 requests for the CSR API.
 */
import 'reflect-metadata';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyPair { keyPem: string; publicKeyPem: string }
export interface CertAndKey { certPem: string; keyPem: string }

export type CertUsage = 'ca' | 'server' | 'client' | 'server+client';

export interface Subject {
  commonName: string;
  /** O= entries: Kubernetes reads them as the user's groups. */
  organizations?: string[];
}

export interface IssueOptions {
  subject: Subject;
  usage: CertUsage;
  /** Subject alternative names: IPs and DNS names (serving certs). */
  sans?: string[];
  validDays?: number;
  /** Sign this public key (a CSR's) instead of making a new key pair; the result then has no keyPem. */
  publicKeyPem?: string;
  now?: Date;
}

const DAY = 86_400_000;

function pem(tag: string, der: ArrayBuffer): string {
  return x509.PemConverter.encode(der, tag) + '\n';
}

function subjectName(s: Subject): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [...(s.organizations ?? []).map((o) => `O=${esc(o)}`), `CN=${esc(s.commonName)}`].join(', ');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function importPrivate(keyPem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ALG, false, ['sign']);
}

async function importPublic(publicKeyPem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('spki', x509.PemConverter.decodeFirst(publicKeyPem), ALG, true, ['verify']);
}

/** A fresh ECDSA P-256 key pair as PEM (PKCS#8 private, SPKI public): the service-account signing key. */
export async function generateKeyPair(): Promise<KeyPair> {
  const keys = await newKeys();
  return {
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    publicKeyPem: pem('PUBLIC KEY', await webcrypto.subtle.exportKey('spki', keys.publicKey)),
  };
}

function extensionsFor(usage: CertUsage, sans: string[]): x509.Extension[] {
  const ku = x509.KeyUsageFlags;
  if (usage === 'ca') {
    return [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(ku.keyCertSign | ku.cRLSign | ku.digitalSignature, true),
    ];
  }
  const eku: string[] = [];
  if (usage === 'server' || usage === 'server+client') eku.push(x509.ExtendedKeyUsage.serverAuth);
  if (usage === 'client' || usage === 'server+client') eku.push(x509.ExtendedKeyUsage.clientAuth);
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(ku.digitalSignature | ku.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(eku, false),
  ];
  if (sans.length > 0) {
    exts.push(new x509.SubjectAlternativeNameExtension(sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))));
  }
  return exts;
}

/** A self-signed CA (kubeadm's `kubernetes` CA), valid 10 years by default. */
export async function createCa(commonName = 'kubernetes-ca', validDays = 3650, now = new Date()): Promise<CertAndKey> {
  const keys = await newKeys();
  const name = subjectName({ commonName });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '7'),
    subject: name, issuer: name,
    notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + validDays * DAY),
    signingAlgorithm: ALG, publicKey: keys.publicKey, signingKey: keys.privateKey,
    extensions: [...extensionsFor('ca', []), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

/** A certificate signed by `ca`; with a new key pair unless `publicKeyPem` is given (then keyPem is ''). */
export async function issueCertificate(ca: CertAndKey, o: IssueOptions): Promise<CertAndKey> {
  const now = o.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  let publicKey: CryptoKey;
  let keyPem = '';
  if (o.publicKeyPem) {
    publicKey = await importPublic(o.publicKeyPem);
  } else {
    const keys = await newKeys();
    publicKey = keys.publicKey;
    keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '7'),
    subject: subjectName(o.subject), issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + (o.validDays ?? 365) * DAY),
    signingAlgorithm: ALG, publicKey, signingKey: await importPrivate(ca.keyPem),
    extensions: [
      ...extensionsFor(o.usage, o.sans ?? []),
      await x509.AuthorityKeyIdentifierExtension.create(await caCert.publicKey.export()),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem };
}

/**
 * A PKCS#10 certificate request (what a joining kubelet sends in a CertificateSigningRequest), with a new key pair;
 * `sans` (IPs and DNS names) are requested in an extensionRequest, as a kubelet-serving request needs them.
 */
export async function createCsr(subject: Subject, sans: string[] = []): Promise<{ csrPem: string; keyPem: string }> {
  const keys = await newKeys();
  const extensions = sans.length === 0 ? [] : [
    new x509.SubjectAlternativeNameExtension(sans.map((s) => (isIP(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s }))),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subjectName(subject), keys, signingAlgorithm: ALG, extensions });
  return { csrPem: csr.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

export interface ParsedCsr { subject: Subject; publicKeyPem: string; signatureValid: boolean }

/** Reads a PKCS#10 request: its subject and public key, and whether it is signed by that key. */
export async function parseCsr(csrPem: string): Promise<ParsedCsr> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  return {
    subject: parseSubject(csr.subject),
    publicKeyPem: pem('PUBLIC KEY', csr.publicKey.rawData),
    signatureValid: await csr.verify(),
  };
}

/** `O=a, O=b, CN=x` (either order) → { commonName, organizations }. */
export function parseSubject(dn: string): Subject {
  const name = new x509.Name(dn);
  const json = name.toJSON();
  const out: Subject = { commonName: '', organizations: [] };
  for (const rdn of json) {
    for (const [type, values] of Object.entries(rdn)) {
      if (type === 'CN') out.commonName = values[0] ?? '';
      if (type === 'O') out.organizations!.push(...values);
    }
  }
  return out;
}

export interface CertInfo {
  subject: Subject;
  notBefore: Date;
  notAfter: Date;
  sans: string[];
  isCa: boolean;
}

/** What a PEM certificate says (Node's own X509Certificate: no async, no polyfill). */
export function certInfo(certPem: string): CertInfo {
  const c = new X509Certificate(certPem);
  const subject: Subject = { commonName: '', organizations: [] };
  for (const line of c.subject.split('\n')) {
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    const v = line.slice(i + 1);
    if (k === 'CN') subject.commonName = v;
    if (k === 'O') subject.organizations!.push(v);
  }
  const sans = (c.subjectAltName ?? '').split(/,\s*/).filter(Boolean).map((s) => s.replace(/^(DNS|IP Address):/, ''));
  return { subject, notBefore: new Date(c.validFrom), notAfter: new Date(c.validTo), sans, isCa: c.ca };
}

export class CertificateError extends Error {
  constructor(readonly code: 'Expired' | 'NotYetValid' | 'Unreadable', message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** Throws a CertificateError naming the file when a certificate is expired or not yet valid. */
export function checkValidity(certPem: string, what: string, now = new Date()): CertInfo {
  let info: CertInfo;
  try { info = certInfo(certPem); } catch (err) { throw new CertificateError('Unreadable', `${what}: not a PEM certificate (${(err as Error).message})`); }
  if (now > info.notAfter) throw new CertificateError('Expired', `${what}: certificate "${info.subject.commonName}" expired at ${info.notAfter.toISOString()} (rotation is not automatic: delete it and restart to issue a new one)`);
  if (now < info.notBefore) throw new CertificateError('NotYetValid', `${what}: certificate "${info.subject.commonName}" is not valid before ${info.notBefore.toISOString()} (is the clock right?)`);
  return info;
}

/** kubeadm's CA pin: `sha256:` + hex SHA-256 of the CA certificate's SubjectPublicKeyInfo. */
export async function caCertHash(caCertPem: string): Promise<string> {
  const c = new x509.X509Certificate(caCertPem);
  const digest = await webcrypto.subtle.digest('SHA-256', c.publicKey.rawData);
  return `sha256:${Buffer.from(digest).toString('hex')}`;
}
