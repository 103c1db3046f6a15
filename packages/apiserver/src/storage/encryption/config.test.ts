import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEncryptionConfig, parseEncryptionConfig } from './config.js';

const K16 = Buffer.alloc(16, 1).toString('base64');
const K32 = Buffer.alloc(32, 2).toString('base64');

function config(resources: unknown[]): string {
  return JSON.stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources });
}
const parse = (resources: unknown[]) => () => parseEncryptionConfig(config(resources), 'enc.yaml');

describe('EncryptionConfiguration', () => {
  it('loads kube\'s documented example from YAML', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tk-enc-')), 'enc.yaml');
    writeFileSync(file, [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: EncryptionConfiguration',
      'resources:',
      '  - resources:',
      '      - secrets',
      '      - configmaps',
      '    providers:',
      '      - aesgcm:',
      '          keys:',
      `            - name: key1`,
      `              secret: ${K32}`,
      '      - aescbc:',
      '          keys:',
      `            - {name: old, secret: ${K16}}`,
      '      - secretbox:',
      '          keys:',
      `            - {name: box, secret: ${K32}}`,
      '      - identity: {}',
      '  - resources: ["*.apps"]',
      '    providers: [{identity: {}}]',
      '',
    ].join('\n'));
    const c = await loadEncryptionConfig(file);
    expect(c.resources[0].resources).toEqual(['secrets', 'configmaps']);
    expect(c.resources[0].providers.map((p) => Object.keys(p)[0])).toEqual(['aesgcm', 'aescbc', 'secretbox', 'identity']);
  });

  it('checks key lengths as kube does, without quoting the secret', () => {
    const short = Buffer.alloc(8).toString('base64');
    expect(parse([{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret: short }] } }] }]))
      .toThrow('error while parsing encryption provider configuration file "enc.yaml": resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 8, expected one of [16 24 32]');
    expect(parse([{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: K16 }] } }] }]))
      .toThrow('resources[0].providers[0].secretbox.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 16, expected one of [32]');
    expect(parse([{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'k', secret: 'not base64!' }] } }] }]))
      .toThrow('resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: "REDACTED": secrets must be base64 encoded');
    expect(parse([{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ secret: K32 }] } }] }]))
      .toThrow('resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key');
    expect(parse([{ resources: ['secrets'], providers: [{ aesgcm: { keys: [] } }] }]))
      .toThrow('resources[0].providers[0].aesgcm.keys: Required value: at least one keys is required');
    try { parse([{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret: 'c2VjcmV0' }] } }] }])(); } catch (err) {
      expect((err as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('checks providers and resources as kube does', () => {
    expect(parse([{ resources: ['secrets'], providers: [{ identity: {}, aescbc: { keys: [{ name: 'k', secret: K16 }] } }] }]))
      .toThrow('resources[0].providers[0]: Invalid value: more than one provider specified in a single element, should split into different list elements');
    expect(parse([{ resources: ['secrets'], providers: [{}] }])).toThrow('provider does not contain any of the expected providers');
    expect(parse([{ resources: ['secrets'], providers: [] }])).toThrow('resources[0].providers: Required value: at least one resources[0].providers is required');
    expect(parse([{ resources: [], providers: [{ identity: {} }] }])).toThrow('resources[0].resources: Required value');
    expect(parse([])).toThrow('resources: Required value: at least one resources is required');
    expect(parse([{ resources: ['secrets'], providers: [{ kms: { name: 'x', endpoint: 'unix:///k.sock' } }] }])).toThrow('the kms provider is not supported by tinykube');
    expect(parse([{ resources: ['Secrets'], providers: [{ identity: {} }] }])).toThrow('resource name should not contain capital letters');
    expect(parse([{ resources: ['*'], providers: [{ identity: {} }] }])).toThrow("use '*.' to encrypt all the resources from core API group");
    expect(parse([{ resources: ['secrets', '*.'], providers: [{ identity: {} }] }])).toThrow('using overlapping resources');
    expect(parse([{ resources: ['secrets', 'secrets'], providers: [{ identity: {} }] }])).toThrow('the same resource cannot be specified multiple times');
    expect(parse([{ resources: ['*.*'], providers: [{ identity: {} }] }, { resources: ['secrets'], providers: [{ identity: {} }] }]))
      .toThrow('resource "secrets" is masked by earlier rule "*.*"');
    expect(parse([{ resources: ['secrets'], provider: [] }])).toThrow('strict decoding error: unknown field "resources[0].provider"');
    expect(() => parseEncryptionConfig('apiVersion: v1\nkind: EncryptionConfiguration\nresources: []', 'enc.yaml'))
      .toThrow('apiVersion: Unsupported value: "v1": supported values: "apiserver.config.k8s.io/v1"');
  });

  it('names the file it cannot read', async () => {
    await expect(loadEncryptionConfig('/nonexistent/enc.yaml')).rejects.toThrow('error reading encryption provider configuration file "/nonexistent/enc.yaml"');
    const empty = path.join(mkdtempSync(path.join(tmpdir(), 'tk-enc-')), 'empty.yaml');
    writeFileSync(empty, '');
    await expect(loadEncryptionConfig(empty)).rejects.toThrow(`encryption provider configuration file "${empty}" is empty`);
  });
});
