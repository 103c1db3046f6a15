import { describe, expect, it } from 'vitest';
import type { Attributes } from '../auth/types.js';
import { InflightLimiter, isLongRunning, priorityLevelOf } from './inflight.js';

const attrs = (username: string, groups: string[], extra: Partial<Attributes> = {}): Attributes => ({
  user: { username, groups, uid: '', extra: {} }, verb: 'get', resourceRequest: true, path: '/api/v1/pods',
  apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', namespace: '', name: '', ...extra,
});

describe('in-flight limits per priority level', () => {
  it.each([
    ['admin', ['system:masters'], 'exempt'],
    ['system:node:n1', ['system:nodes', 'system:authenticated'], 'system'],
    ['system:kube-scheduler', ['system:authenticated'], 'system'],
    ['system:serviceaccount:kube-system:replicaset-controller', ['system:serviceaccounts'], 'system'],
    ['system:serviceaccount:default:app', ['system:serviceaccounts'], 'global-default'],
    ['alice', ['devs', 'system:authenticated'], 'global-default'],
  ])('%s is %s', (user, groups, level) => expect(priorityLevelOf(attrs(user, groups).user, attrs(user, groups))).toBe(level));

  it('exempts the health probes and long-running requests', () => {
    expect(priorityLevelOf(attrs('system:anonymous', []).user, { resourceRequest: false, path: '/readyz' })).toBe('exempt');
    expect(isLongRunning(attrs('a', [], { verb: 'watch' }))).toBe(true);
    for (const sub of ['exec', 'attach', 'portforward', 'proxy', 'log']) expect(isLongRunning(attrs('a', [], { subresource: sub }))).toBe(true);
    expect(isLongRunning(attrs('a', [], { subresource: 'status' }))).toBe(false);
  });

  it('refuses a level\'s request once its seats are taken, without touching other levels, and frees seats on release', () => {
    const l = new InflightLimiter({ maxRequestsInflight: 5, maxMutatingRequestsInflight: 5 });
    const alice = attrs('alice', []);
    const seats = [l.admit(alice, 'GET'), l.admit(alice, 'GET')];
    expect(seats.every((s) => 'release' in s)).toBe(true);
    expect(l.admit(alice, 'GET')).toEqual({ rejected: { level: 'global-default', kind: 'readOnly' } });
    // mutating seats are separate; the system level and exempt users are unaffected
    expect('release' in l.admit(alice, 'POST')).toBe(true);
    expect('release' in l.admit(attrs('system:node:n1', ['system:nodes']), 'GET')).toBe(true);
    expect('release' in l.admit(attrs('admin', ['system:masters']), 'GET')).toBe(true);
    expect('release' in l.admit(attrs('alice', [], { verb: 'watch' }), 'GET')).toBe(true);
    expect(l.inflight('readOnly')).toBe(3);
    const first = seats[0]!;
    if ('release' in first) { first.release(); first.release(); }
    expect(l.inflight('readOnly')).toBe(2);
    expect('release' in l.admit(alice, 'GET')).toBe(true);
  });

  it('0 means no limit', () => {
    const l = new InflightLimiter({ maxRequestsInflight: 0, maxMutatingRequestsInflight: 0 });
    for (let i = 0; i < 1000; i++) expect('release' in l.admit(attrs('alice', []), 'GET')).toBe(true);
  });
});
