import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, FakeRecorder } from '../../core/fake.js';
import { newNode } from '../../core/fixtures.js';
import { CidrSet } from './cidr.js';
import { syncNodeCidr } from './sync.js';

describe('syncNodeCidr', () => {
  it('assigns the lowest free /24 and never hands the same block out twice while the cache lags', async () => {
    const lister = new FakeLister({ nodes: [newNode('a', { podCIDR: '10.244.0.0/24' }), newNode('b'), newNode('c')] });
    const actions = new FakeActions(); // the cache does not see our writes
    const deps = { lister, actions, recorder: new FakeRecorder(), cidrs: new CidrSet('10.244.0.0/16', 24), pending: new Map<string, string>() };
    await syncNodeCidr(deps, 'a');
    await syncNodeCidr(deps, 'b');
    await syncNodeCidr(deps, 'c');
    expect(actions.summary()).toEqual(['update nodes b', 'update nodes c']);
    expect(actions.actions.map((a) => a.object!.spec)).toEqual([
      { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] },
    ]);
  });

  it('reports CIDRNotAvailable when the range is exhausted', async () => {
    const lister = new FakeLister({ nodes: [newNode('a', { podCIDR: '127.1.0.0/25' }), newNode('b', { podCIDR: '127.1.0.128/25' }), newNode('c')] });
    const recorder = new FakeRecorder();
    const actions = new FakeActions();
    await syncNodeCidr({ lister, actions, recorder, cidrs: new CidrSet('127.1.0.0/24', 25), pending: new Map() }, 'c');
    expect(actions.summary()).toEqual([]);
    expect(recorder.events).toEqual(['Normal CIDRNotAvailable Node c status is now: CIDRNotAvailable']);
  });

  it('rejects a mask size that does not fit', () => {
    expect(() => new CidrSet('10.244.0.0/16', 8)).toThrow(/does not fit/);
  });
});
