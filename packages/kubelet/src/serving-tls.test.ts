import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '@tinykube/pki';
import { loadServingTls, TlsFileError } from './serving-tls.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-serving-tls-'));
const f = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const ca = await createCa('kubernetes');
  const serving = await issueCertificate(ca, { subject: { commonName: 'system:node:n1' }, usage: 'server', sans: ['127.0.0.1'] });
  const other = await issueCertificate(ca, { subject: { commonName: 'other' }, usage: 'server' });
  const old = await issueCertificate(ca, { subject: { commonName: 'system:node:n1' }, usage: 'server', validDays: 1, now: new Date('2020-01-01T00:00:00Z') });
  const files: Record<string, string> = {
    'ca.crt': ca.certPem, 'kubelet.crt': serving.certPem, 'kubelet.key': serving.keyPem, 'other.key': other.keyPem,
    'old.crt': old.certPem, 'old.key': old.keyPem, 'garbage.key': 'not a key\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(f(name), text);
});

function failure(o: Parameters<typeof loadServingTls>[0]): TlsFileError {
  try {
    loadServingTls(o);
  } catch (err) {
    if (err instanceof TlsFileError) return err;
    throw err;
  }
  throw new Error('expected a TlsFileError');
}

describe('loadServingTls', () => {
  it('reads the serving certificate, its key and the client CA', () => {
    const tls = loadServingTls({ certFile: f('kubelet.crt'), keyFile: f('kubelet.key'), clientCaFile: f('ca.crt') });
    expect(tls.cert).toContain('BEGIN CERTIFICATE');
    expect(tls.key).toContain('PRIVATE KEY');
    expect(tls.clientCa).toContain('BEGIN CERTIFICATE');
    expect(loadServingTls({ certFile: f('kubelet.crt'), keyFile: f('kubelet.key') }).clientCa).toBeUndefined();
  });

  it('names the file that is missing, expired, not a key or not the certificate\'s key', () => {
    expect(failure({ certFile: f('absent.crt'), keyFile: f('kubelet.key') })).toMatchObject({ file: f('absent.crt'), message: `--tls-cert-file ${f('absent.crt')}: cannot read it (ENOENT)` });
    expect(failure({ certFile: f('kubelet.crt'), keyFile: f('kubelet.key'), clientCaFile: f('absent-ca.crt') })).toMatchObject({ file: f('absent-ca.crt') });
    const expired = failure({ certFile: f('old.crt'), keyFile: f('old.key') });
    expect(expired.file).toBe(f('old.crt'));
    expect(expired.message).toMatch(/^--tls-cert-file .*old\.crt: certificate "system:node:n1" expired at 2020-01-02/);
    expect(failure({ certFile: f('kubelet.crt'), keyFile: f('garbage.key') })).toMatchObject({ file: f('garbage.key'), message: expect.stringContaining('not a PEM private key') });
    expect(failure({ certFile: f('kubelet.crt'), keyFile: f('other.key') })).toMatchObject({ file: f('other.key'), message: expect.stringContaining('not the key of the certificate') });
    expect(failure({ certFile: f('kubelet.crt'), keyFile: f('kubelet.key'), clientCaFile: f('kubelet.key') })).toMatchObject({ file: f('kubelet.key'), message: expect.stringContaining('not a PEM certificate') });
  });
});
