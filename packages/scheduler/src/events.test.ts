import { describe, expect, it } from 'vitest';
import { fitErrorMessage, podEvent, scheduledMessage, unschedulableConditionPatch } from './events.js';
import type { Rejection } from './plugin.js';
import { podInfo } from '../test/fixtures.js';

const taint: Rejection = { plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'], unresolvable: true };
const cpu: Rejection = { plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'], unresolvable: false };
const cpuMem: Rejection = { plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false };
const affinity: Rejection = { plugin: 'NodeAffinity', reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };

describe('fitErrorMessage', () => {
  const pod = podInfo('p');

  it('counts and sorts reasons like kube-scheduler, then the preemption summary', () => {
    const rejections = new Map<string, Rejection>([
      ['cp', taint],
      ['w1', cpu],
      ['w2', cpu],
      ['w3', cpu],
    ]);
    expect(fitErrorMessage({ numAllNodes: 4, rejections }, pod)).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
  });

  it('counts every reason of a node and sorts by the "count reason" string', () => {
    const rejections = new Map<string, Rejection>([
      ['a', cpuMem],
      ['b', affinity],
      ['c', affinity],
      ['d', { plugin: 'NodeUnschedulable', reasons: ['node(s) were unschedulable'], unresolvable: true }],
    ]);
    expect(fitErrorMessage({ numAllNodes: 4, rejections }, pod)).toBe(
      "0/4 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
  });

  it('no nodes at all', () => {
    expect(fitErrorMessage({ numAllNodes: 0, rejections: new Map() }, pod)).toBe('no nodes available to schedule pods');
  });

  it('preemptionPolicy Never', () => {
    const rejections = new Map<string, Rejection>([['w1', cpu]]);
    expect(fitErrorMessage({ numAllNodes: 1, rejections }, podInfo('p', { preemptionPolicy: 'Never' }))).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});

describe('event objects', () => {
  it('builds a FailedScheduling v1 Event from default-scheduler', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const ev = podEvent(podInfo('web', { ns: 'prod', resourceVersion: '42' }), 'Warning', 'FailedScheduling', 'msg', now, 'sched-1');
    expect(ev).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'prod' },
      involvedObject: { kind: 'Pod', namespace: 'prod', name: 'web', uid: 'uid-web', resourceVersion: '42' },
      type: 'Warning',
      reason: 'FailedScheduling',
      message: 'msg',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'sched-1',
      firstTimestamp: '2026-01-02T03:04:05Z',
      count: 1,
    });
    expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    expect(podEvent(podInfo('web'), 'Normal', 'Scheduled', 'm', now, 'i').metadata.name).not.toBe(ev.metadata.name);
  });

  it('scheduled message and condition patch', () => {
    expect(scheduledMessage(podInfo('web', { ns: 'prod' }), 'worker-1')).toBe('Successfully assigned prod/web to worker-1');
    expect(unschedulableConditionPatch('why', new Date('2026-01-01T00:00:00.500Z'))).toEqual({
      status: {
        conditions: [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'why', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
        ],
      },
    });
  });
});
