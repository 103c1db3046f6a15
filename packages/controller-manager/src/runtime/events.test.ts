import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { notFound, serviceUnavailable } from '@tinykube/api';
import { FakeActions, TestClock } from '../core/fake.js';
import { newReplicaSet } from '../core/fixtures.js';
import type { Event } from '@tinykube/api';
import { ApiEventRecorder } from './events.js';

describe('ApiEventRecorder', () => {
  it('creates an Event, then aggregates repeats by bumping count', async () => {
    const clock = new TestClock();
    const actions = new FakeActions();
    const rec = new ApiEventRecorder(actions, 'replicaset-controller', clock.now, pino({ level: 'silent' }));
    const rs = newReplicaSet('web', 1);
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1');
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-2');
    await rec.flush();
    expect(actions.actions.map((a) => `${a.verb} ${a.resource}`)).toEqual(['create events', 'patch events', 'create events']);
    const ev = actions.actions[0].object as Event;
    expect(ev).toMatchObject({
      reason: 'SuccessfulCreate', message: 'Created pod: web-1', type: 'Normal', count: 1,
      involvedObject: { kind: 'ReplicaSet', name: 'web', namespace: 'default', uid: 'uid-web' },
      source: { component: 'replicaset-controller' },
    });
    expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    expect(actions.actions[1].patch).toMatchObject({ count: 2 });
  });

  it('starts a new Event when the aggregated one expired, and never throws to the caller', async () => {
    const clock = new TestClock();
    const actions = new FakeActions();
    const rec = new ApiEventRecorder(actions, 'c', clock.now, pino({ level: 'silent' }));
    const node = { kind: 'Node', apiVersion: 'v1', metadata: { name: 'n1', uid: 'u1' } };
    rec.event(node, 'Normal', 'NodeNotReady', 'x');
    await rec.flush();
    expect(actions.actions[0].namespace).toBe('default');
    actions.failures.set('patch events', notFound({ group: '', resource: 'events' }, 'x'));
    rec.event(node, 'Normal', 'NodeNotReady', 'x');
    await rec.flush();
    expect(actions.actions.map((a) => a.verb)).toEqual(['create', 'patch', 'create']);
    actions.failures.set('create events', serviceUnavailable('down'));
    rec.event(node, 'Warning', 'Other', 'y');
    await expect(rec.flush()).resolves.toBeUndefined();
  });
});
