/**
 * A CA signing a PKCS#10 request as kube-controller-manager's csrsigning does: the subject and SANs come from the
 * request, key usages and extended key usages from the CSR API's `usages`, the validity from the caller (never past
 * the CA's own), with the request's own public key (any algorithm WebCrypto imports: ECDSA, RSA, Ed25519).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertAndKey } from './x509.js';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const KU = x509.KeyUsageFlags;
/** kube's KeyUsagesFromStrings: the x509 key usage bits. */
const KEY_USAGE_BITS: Record<string, number> = {
  signing: KU.digitalSignature, 'digital signature': KU.digitalSignature, 'content commitment': KU.nonRepudiation,
  'key encipherment': KU.keyEncipherment, 'key agreement': KU.keyAgreement, 'data encipherment': KU.dataEncipherment,
  'cert sign': KU.keyCertSign, 'crl sign': KU.cRLSign, 'encipher only': KU.encipherOnly, 'decipher only': KU.decipherOnly,
};
/** …and the extended key usages, by OID. */
const EXT_KEY_USAGES: Record<string, string> = {
  any: '2.5.29.37.0', 'server auth': x509.ExtendedKeyUsage.serverAuth, 'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning, 'email protection': x509.ExtendedKeyUsage.emailProtection,
  's/mime': x509.ExtendedKeyUsage.emailProtection, 'ipsec end system': '1.3.6.1.5.5.7.3.5', 'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7', timestamping: x509.ExtendedKeyUsage.timeStamping, 'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3', 'netscape sgc': '2.16.840.1.113730.4.1',
};

export interface SignRequestOptions {
  /** PEM `CERTIFICATE REQUEST` */
  csrPem: string;
  /** the CSR API's usages (`digital signature`, `client auth`...) */
  usages: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningError';
  }
}

/** The issued certificate (PEM). Throws SigningError for a request that cannot be signed (unknown usage, bad signature). */
export async function signCertificateRequest(ca: CertAndKey, o: SignRequestOptions): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(o.csrPem);
  if (!(await csr.verify())) throw new SigningError('the request is not signed by its key');
  let bits = 0;
  const eku: string[] = [];
  for (const u of o.usages) {
    if (u in KEY_USAGE_BITS) bits |= KEY_USAGE_BITS[u]!;
    else if (u in EXT_KEY_USAGES) eku.push(EXT_KEY_USAGES[u]!);
    else throw new SigningError(`unknown key usage: ${u}`);
  }
  const caCert = new x509.X509Certificate(ca.certPem);
  const notAfter = o.notAfter > caCert.notAfter ? caCert.notAfter : o.notAfter;
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (bits !== 0) extensions.push(new x509.KeyUsagesExtension(bits, true));
  if (eku.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension([...new Set(eku)], false));
  // the requested SANs, as requested (kube copies DNS names, IPs, emails and URIs)
  const san = csr.getExtension('2.5.29.17');
  if (san) extensions.push(san);
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(await caCert.publicKey.export()));
  const signingKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), ALG, false, ['sign']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '7'),
    subject: csr.subject, issuer: caCert.subject, notBefore: o.notBefore, notAfter,
    signingAlgorithm: ALG, publicKey: await csr.publicKey.export(), signingKey, extensions,
  });
  return cert.toString('pem') + '\n';
}
