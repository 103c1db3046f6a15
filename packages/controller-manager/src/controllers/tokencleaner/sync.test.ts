import type { Secret } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { conflict } from '@tinykube/api';
import { FakeActions, FakeLister, TestClock } from '../../core/fake.js';
import { syncTokenCleaner } from './sync.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function token(name: string, expiration?: string, type = 'bootstrap.kubernetes.io/token', namespace = 'kube-system'): Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, uid: `uid-${name}` }, type,
    data: { 'token-id': b64(name.slice(-6)), 'token-secret': b64('0123456789abcdef'), ...(expiration ? { expiration: b64(expiration) } : {}) },
  };
}

function setup(secrets: Secret[]) {
  const clock = new TestClock(); // 2026-01-01T00:00:00Z
  const lister = new FakeLister({ secrets });
  const actions = new FakeActions(lister);
  return { actions, deps: { lister, actions, now: clock.now } };
}

describe('syncTokenCleaner', () => {
  it('deletes an expired bootstrap token Secret (uid precondition), and one whose expiration does not parse', async () => {
    const { actions, deps } = setup([token('bootstrap-token-old000', '2025-12-31T23:59:59Z'), token('bootstrap-token-bad000', 'soon')]);
    await syncTokenCleaner(deps, 'kube-system/bootstrap-token-old000');
    await syncTokenCleaner(deps, 'kube-system/bootstrap-token-bad000');
    expect(actions.summary()).toEqual(['delete secrets kube-system/bootstrap-token-old000', 'delete secrets kube-system/bootstrap-token-bad000']);
    expect(actions.of('delete')[0]!.opts).toEqual({ uid: 'uid-bootstrap-token-old000' });
  });

  it('a token that expires later is looked at again then; one without expiration never', async () => {
    const { actions, deps } = setup([token('bootstrap-token-new000', '2026-01-01T00:10:00Z'), token('bootstrap-token-forevr')]);
    expect(await syncTokenCleaner(deps, 'kube-system/bootstrap-token-new000')).toEqual({ requeueAfterMs: 600_001 });
    expect(await syncTokenCleaner(deps, 'kube-system/bootstrap-token-forevr')).toEqual({});
    expect(actions.summary()).toEqual([]);
  });

  it('leaves other Secrets alone, and takes a conflict (the Secret was replaced) as done', async () => {
    const { actions, deps } = setup([
      token('plain', '2020-01-01T00:00:00Z', 'Opaque'), token('bootstrap-token-elsewh', '2020-01-01T00:00:00Z', undefined, 'default'),
      token('bootstrap-token-old000', '2020-01-01T00:00:00Z'),
    ]);
    await syncTokenCleaner(deps, 'kube-system/plain');
    await syncTokenCleaner(deps, 'default/bootstrap-token-elsewh');
    actions.failures.set('delete secrets', conflict({ group: '', resource: 'secrets' }, 'bootstrap-token-abcdef'));
    await expect(syncTokenCleaner(deps, 'kube-system/bootstrap-token-old000')).resolves.toEqual({});
    expect(actions.summary()).toEqual(['delete secrets kube-system/bootstrap-token-old000']);
  });
});
