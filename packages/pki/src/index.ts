export {
  caCertHash, certInfo, CertificateError, checkValidity, createCa, createCsr, generateKeyPair, issueCertificate, parseCsr, parseSubject,
  type CertAndKey, type CertInfo, type CertUsage, type IssueOptions, type KeyPair, type ParsedCsr, type Subject,
} from './x509.js';
export { clusterPki, ensureClusterPki, type ClusterPki, type ClusterPkiOptions, type Credential } from './cluster-pki.js';
export { signCertificateRequest, SigningError, type SignRequestOptions } from './sign-request.js';
