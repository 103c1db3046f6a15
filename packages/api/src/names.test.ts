import { describe, expect, it } from 'vitest';
import {
  NAME_SUFFIX_ALPHABET,
  generateNameFrom,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  randomNameSuffix,
} from './names.js';

describe('DNS names', () => {
  it('accepts subdomains and rejects bad ones with Kubernetes words', () => {
    expect(isDNS1123Subdomain('my-app.example.com')).toEqual([]);
    expect(isDNS1123Subdomain('Foo_Bar')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });
  it('labels allow no dots and at most 63 characters', () => {
    expect(isDNS1123Label('web-1')).toEqual([]);
    expect(isDNS1123Label('a.b')).toHaveLength(1);
    expect(isDNS1123Label('a'.repeat(64))).toContain('must be no more than 63 characters');
  });
  it('DNS-1035 labels (Service names) must start with a letter', () => {
    expect(isDNS1035Label('web')).toEqual([]);
    expect(isDNS1035Label('1web')[0]).toMatch(/^a DNS-1035 label must consist of/);
  });
});

describe('label keys and values', () => {
  it('accepts prefixed and plain keys', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('node-role.kubernetes.io/control-plane')).toEqual([]);
  });
  it('rejects bad keys', () => {
    expect(isQualifiedName('bad key')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName('Bad_Prefix/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/with an optional DNS subdomain prefix and '\/'/);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty']);
  });
  it('values may be empty but not malformed', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1.2_x')).toEqual([]);
    expect(isValidLabelValue('-x')[0]).toMatch(/^a valid label must be an empty string/);
    expect(isValidLabelValue('x'.repeat(64))).toContain('must be no more than 63 characters');
  });
  it('port names are IANA service names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toContain('must contain at least one letter (a-z)');
    expect(isValidPortName('a--b')).toContain('must not contain consecutive hyphens');
  });
});

describe('generated names', () => {
  it('suffixes use Kubernetes alphabet and length', () => {
    const s = randomNameSuffix();
    expect(s).toHaveLength(5);
    for (const ch of s) expect(NAME_SUFFIX_ALPHABET).toContain(ch);
  });
  it('is deterministic with an injected random source and truncates long bases', () => {
    expect(generateNameFrom('web-', () => 0)).toBe('web-bbbbb');
    expect(generateNameFrom('web-', () => 0.9999)).toBe('web-99999');
    const long = generateNameFrom('x'.repeat(70), () => 0);
    expect(long).toHaveLength(63);
  });
});
