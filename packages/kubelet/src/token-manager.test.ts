import { FakeClock } from '@tinykube/testkit';
import type { TokenRequest } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { TokenManager, type TokenRequester } from './token-manager.js';

const S = 1000;

function request(podUid = 'uid-1', o: { expirationSeconds?: number; audiences?: string[] } = {}): TokenRequest {
  return {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
    spec: {
      ...(o.audiences ? { audiences: o.audiences } : {}),
      expirationSeconds: o.expirationSeconds ?? 3607,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: podUid },
    },
  };
}

/** A fake apiserver: tokens tok-1, tok-2, ... expiring expirationSeconds after the (whole-second) request time. */
function fakeApi(clock: FakeClock) {
  const calls: { namespace: string; name: string; tr: TokenRequest }[] = [];
  let failWith: Error | undefined;
  const requester: TokenRequester = async (namespace, name, tr) => {
    calls.push({ namespace, name, tr });
    if (failWith) throw failWith;
    const now = Math.floor(clock.now() / S) * S;
    return { ...tr, status: { token: `tok-${calls.length}`, expirationTimestamp: new Date(now + tr.spec.expirationSeconds! * S).toISOString() } };
  };
  return { requester, calls, fail: (e: Error | undefined) => void (failWith = e) };
}

function setup(random = () => 0) {
  const clock = new FakeClock(Date.parse('2026-03-01T10:00:00Z'));
  const api = fakeApi(clock);
  const tm = new TokenManager({ request: api.requester, clock, random });
  const token = async (tr = request()) => (await tm.getServiceAccountToken('app', 'default', tr)).status!.token;
  return { clock, api, tm, token };
}

describe('TokenManager', () => {
  it('asks once, with the pod-bound request as given, then hands out the cached token', async () => {
    const { api, token } = setup();
    expect(await token()).toBe('tok-1');
    expect(await token()).toBe('tok-1');
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({ namespace: 'app', name: 'default', tr: { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', name: 'web', uid: 'uid-1' } } } });
  });

  it('refreshes once 80% of the lifetime has passed', async () => {
    const { clock, api, token } = setup();
    await token();
    // 3607 s: refresh when within floor(3607 * 20 / 100) = 721 s of expiry, i.e. after 2886 s
    clock.advance(2886 * S);
    expect(await token()).toBe('tok-1');
    clock.advance(1 * S);
    expect(await token()).toBe('tok-2');
    expect(api.calls).toHaveLength(2);
    clock.advance(2886 * S);
    expect(await token()).toBe('tok-2');
  });

  it('a jitter of up to 10 s brings the refresh forward', async () => {
    const { clock, token } = setup(() => 0.99); // 9 s
    await token();
    clock.advance((2886 - 9) * S + 1);
    expect(await token()).toBe('tok-2');
  });

  it('refreshes a long-lived token after 24 h', async () => {
    const { clock, token } = setup();
    await token(request('uid-1', { expirationSeconds: 7 * 24 * 3600 }));
    clock.advance(24 * 3600 * S);
    expect(await token(request('uid-1', { expirationSeconds: 7 * 24 * 3600 }))).toBe('tok-1');
    clock.advance(1);
    expect(await token(request('uid-1', { expirationSeconds: 7 * 24 * 3600 }))).toBe('tok-2');
  });

  it('refreshes when the clock went back before the issue time', async () => {
    let t = Date.parse('2026-03-01T10:00:00Z');
    let n = 0;
    const clock = { now: () => t, setTimer: () => () => undefined };
    const tm = new TokenManager({
      clock, random: () => 0,
      request: async (_ns, _name, tr) => ({ ...tr, status: { token: `tok-${++n}`, expirationTimestamp: new Date(t + 3607 * S).toISOString() } }),
    });
    await tm.getServiceAccountToken('app', 'default', request());
    t -= 3600 * S;
    expect((await tm.getServiceAccountToken('app', 'default', request())).status!.token).toBe('tok-2');
  });

  it('keeps handing out the cached token while a refresh fails, until it expires', async () => {
    const { clock, api, tm, token } = setup();
    await token();
    api.fail(new Error('connection refused'));
    clock.advance(3000 * S);
    expect(await token()).toBe('tok-1');
    clock.advance(608 * S); // past expiry (3607 s)
    await expect(token()).rejects.toThrow('token app/default expired and refresh failed: connection refused');
    expect(tm.size).toBe(0);
    api.fail(undefined);
    expect(await token()).toBe(`tok-${api.calls.length}`);
  });

  it('fails when there is nothing cached and the request fails, or the answer carries no token', async () => {
    const { api, tm, token } = setup();
    api.fail(new Error('pods "web" not found'));
    await expect(token()).rejects.toThrow('failed to fetch token: pods "web" not found');
    const empty = new TokenManager({ request: async (_n, _s, tr) => tr, clock: new FakeClock() });
    await expect(empty.getServiceAccountToken('app', 'default', request())).rejects.toThrow('failed to fetch token: the TokenRequest answer has no token');
    expect(tm.size).toBe(0);
  });

  it('caches per request (audiences, lifetime, bound pod) and forgets a pod\'s tokens when it goes', async () => {
    const { api, tm, token } = setup();
    await token(request('uid-1'));
    await token(request('uid-1', { audiences: ['vault'] }));
    await token(request('uid-1', { expirationSeconds: 600 }));
    await token(request('uid-2'));
    expect(api.calls).toHaveLength(4);
    expect(tm.size).toBe(4);
    tm.deleteServiceAccountToken('uid-1');
    expect(tm.size).toBe(1);
    expect(await token(request('uid-2'))).toBe('tok-4');
    expect(await token(request('uid-1'))).toBe('tok-5');
  });
});
