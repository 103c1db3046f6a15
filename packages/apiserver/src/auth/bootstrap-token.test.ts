import type { Secret } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { BootstrapTokenAuthenticator } from './bootstrap-token.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const NOW = new Date('2026-06-01T00:00:00Z');

function tokenSecret(data: Record<string, string>, extra: Partial<Secret> = {}): Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries({ 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', ...data }).map(([k, v]) => [k, b64(v)])),
    ...extra,
  };
}

function authn(secret: Secret | undefined) {
  const a = new BootstrapTokenAuthenticator((ns, name) => (ns === 'kube-system' && name === secret?.metadata.name ? secret : undefined), () => NOW);
  return (token: string) => a.authenticate({ headers: { authorization: `Bearer ${token}` } });
}

describe('BootstrapTokenAuthenticator', () => {
  it('authenticates <id>.<secret> as system:bootstrap:<id> with system:bootstrappers and the extra groups, sorted', async () => {
    const r = await authn(tokenSecret({ 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token,system:bootstrappers:a', expiration: '2026-06-02T00:00:00Z' }))('abcdef.0123456789abcdef');
    expect(r).toEqual({ user: {
      username: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:a', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
    } });
  });

  it('has no opinion on other token shapes and on ids without a Secret', async () => {
    const a = authn(tokenSecret({}));
    expect(await a('not-a-bootstrap-token')).toBeUndefined();
    expect(await a('ABCDEF.0123456789abcdef')).toBeUndefined();
    expect(await a('zzzzzz.0123456789abcdef')).toBeUndefined();
  });

  it('refuses a wrong secret, an expired or unparseable expiration, a deleting Secret, a wrong type, no auth usage, bad extra groups', async () => {
    const err = async (s: Secret, token = 'abcdef.0123456789abcdef') => ((await authn(s)(token)) as { error: string }).error;
    expect(await err(tokenSecret({}), 'abcdef.0123456789abcdee')).toBe('bootstrap token kube-system/bootstrap-token-abcdef has invalid value for key token-secret');
    expect(await err(tokenSecret({ expiration: '2026-05-31T23:59:59Z' }))).toMatch(/has expired$/);
    expect(await err(tokenSecret({ expiration: 'tomorrow' }))).toMatch(/has expired$/);
    expect(await err(tokenSecret({}, { metadata: { name: 'bootstrap-token-abcdef', deletionTimestamp: '2026-01-01T00:00:00Z' } }))).toMatch(/deleted/);
    expect(await err(tokenSecret({}, { type: 'Opaque' }))).toMatch(/invalid type/);
    expect(await err(tokenSecret({ 'usage-bootstrap-authentication': 'false' }))).toMatch(/not marked usage-bootstrap-authentication=true/);
    expect(await err(tokenSecret({ 'auth-extra-groups': 'system:masters' }))).toMatch(/auth-extra-groups/);
  });
});
