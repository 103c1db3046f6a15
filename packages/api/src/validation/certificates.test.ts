import { createSign, generateKeyPairSync } from 'node:crypto';
import { createCsr } from '@tinykube/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateRequestError, parseCertificateRequest } from '../certificate-request.js';
import { csrCondition } from '../columns/certificates.js';
import { registry } from '../registry.js';
import { toTable } from '../table.js';
import { validateObject } from '../validate.js';

const info = registry.get('certificates.k8s.io', 'certificatesigningrequests')!;
const b64 = (s: string) => Buffer.from(s).toString('base64');
let nodeCsr: string;
let servingCsr: string;

beforeAll(async () => {
  nodeCsr = (await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] })).csrPem;
  servingCsr = (await createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] }, ['10.0.0.5', 'w1', '::1'])).csrPem;
});

function csr(spec: Record<string, unknown> = {}, status?: Record<string, unknown>) {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr-1' },
    spec: { request: b64(nodeCsr), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec },
    ...(status ? { status } : {}),
  };
}

const messages = (r: ReturnType<typeof validateObject>) => (r.ok ? [] : r.causes.map((c) => `${c.field}: ${c.message}`));

describe('parseCertificateRequest', () => {
  it('reads the subject, SANs and key of a request and checks its signature', () => {
    const r = parseCertificateRequest(servingCsr);
    expect(r).toMatchObject({ commonName: 'system:node:w1', organizations: ['system:nodes'], dnsNames: ['w1'], ipAddresses: ['10.0.0.5', '::1'] });
    expect(r.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('reads RSA requests too, and refuses a tampered one with Go\'s words', () => {
    // a minimal RSA PKCS#10 built by hand: the parser's own structure checks meet a real signature
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const der = (tag: number, body: Buffer) => {
      const len = body.length < 128 ? Buffer.from([body.length]) : body.length < 256 ? Buffer.from([0x81, body.length]) : Buffer.from([0x82, body.length >> 8, body.length & 255]);
      return Buffer.concat([Buffer.from([tag]), len, body]);
    };
    const cn = der(0x30, Buffer.concat([der(0x06, Buffer.from([0x55, 0x04, 0x03])), der(0x0c, Buffer.from('alice'))]));
    const cri = der(0x30, Buffer.concat([der(0x02, Buffer.from([0])), der(0x30, der(0x31, cn)), spki, der(0xa0, Buffer.alloc(0))]));
    const sig = createSign('sha256').update(cri).sign(privateKey);
    const alg = der(0x30, Buffer.concat([der(0x06, Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b])), Buffer.from([0x05, 0x00])]));
    const whole = (c: Buffer) => der(0x30, Buffer.concat([c, alg, der(0x03, Buffer.concat([Buffer.from([0]), sig]))]));
    const pem = (d: Buffer) => `-----BEGIN CERTIFICATE REQUEST-----\n${d.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(parseCertificateRequest(pem(whole(cri))).commonName).toBe('alice');
    const tampered = Buffer.from(cri);
    tampered[tampered.indexOf('alice') + 1] = 'b'.charCodeAt(0);
    expect(() => parseCertificateRequest(pem(whole(tampered)))).toThrow('crypto/rsa: verification error');
    expect(() => parseCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(CertificateRequestError);
  });
});

describe('CertificateSigningRequest validation', () => {
  it('accepts a kubelet client request', () => {
    expect(messages(validateObject(info, csr()))).toEqual([]);
  });

  it('refuses what kube refuses: no request, no usages, unknown or duplicate usages, bad signer names, short durations', () => {
    expect(messages(validateObject(info, csr({ request: b64('hello'), usages: [], signerName: '' })))).toEqual([
      'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST',
      'spec.usages: Required value',
      'spec.signerName: Required value',
    ]);
    const r = messages(validateObject(info, csr({ usages: ['client auth', 'client auth', 'flying'], signerName: 'example', expirationSeconds: 599 })));
    expect(r[0]).toMatch(/^spec\.usages\[2\]: Unsupported value: "flying": supported values: "any", "cert sign"/);
    expect(r.slice(1)).toEqual([
      'spec.usages[1]: Duplicate value: "client auth"',
      "spec.signerName: Invalid value: \"example\": must be a fully qualified domain and path of the form 'example.com/signer-name'",
      'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    ]);
    expect(messages(validateObject(info, csr({ signerName: 'kubernetes.io/legacy-unknown' })))).toEqual([
      'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
    ]);
    expect(messages(validateObject(info, csr({ signerName: 'localhost/x' })))).toEqual([
      'spec.signerName: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
    ]);
  });

  it('checks conditions: True only for Approved/Denied/Failed, not both Approved and Denied, no duplicates', () => {
    const r = messages(validateObject(info, csr({}, { conditions: [
      { type: 'Approved', status: 'False' }, { type: 'Denied', status: 'True' }, { type: 'Denied', status: 'True' },
    ] })));
    expect(r).toEqual([
      'status.conditions[0].status: Unsupported value: "False": supported values: "True"',
      'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
      'status.conditions[2].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
      'status.conditions[2].type: Duplicate value: "Denied"',
    ]);
  });

  it('on update: conditions may not be removed, an issued certificate may not change, the certificate must be PEM', () => {
    const cert = b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const old = csr({}, { conditions: [{ type: 'Approved', status: 'True' }], certificate: cert });
    expect(messages(validateObject(info, csr({}, { conditions: [], certificate: b64('x') }), old))).toEqual([
      'status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block',
      'status.conditions: Forbidden: updates may not remove a condition of type "Approved"',
      'status.certificate: Forbidden: updates may not modify existing certificate content',
    ]);
  });

  it('prints kubectl\'s columns', () => {
    const obj = { ...csr({ username: 'system:bootstrap:abcdef', expirationSeconds: 3600 }, { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'eA==' }) };
    obj.metadata = { name: 'csr-1', creationTimestamp: '2026-01-01T00:00:00Z' } as typeof obj.metadata;
    const t = toTable(info, [obj as never], new Date('2026-01-01T00:05:00Z'));
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    expect(t.rows[0]!.cells).toEqual(['csr-1', '5m', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:bootstrap:abcdef', '60m', 'Approved,Issued']);
    expect(csrCondition({ ...obj, status: { conditions: [{ type: 'Denied', status: 'True' }, { type: 'Failed', status: 'True' }] } } as never)).toBe('Denied,Failed');
  });
});
