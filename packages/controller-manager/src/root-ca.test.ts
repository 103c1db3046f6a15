import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPki } from '@tinykube/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { readRootCA } from './root-ca.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-root-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRootCA', () => {
  it('returns the bundle as written when it holds certificates', () => {
    const pki = testPki();
    expect(readRootCA(pki.ca.cert)).toBe(pki.caPem);
  });

  it('refuses a missing file, a file without certificates and a broken certificate, naming the file', () => {
    const none = join(dir, 'none.crt');
    const text = join(dir, 'text.crt');
    writeFileSync(text, 'not a certificate\n');
    const broken = join(dir, 'broken.crt');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => readRootCA(none)).toThrow(`error parsing root-ca-file at ${none}: ENOENT`);
    expect(() => readRootCA(text)).toThrow(`error parsing root-ca-file at ${text}: data does not contain any valid RSA or ECDSA certificates`);
    expect(() => readRootCA(broken)).toThrow(`error parsing root-ca-file at ${broken}:`);
  });
});
