import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@tinykube/api';
import { daemonSetProgress, deploymentProgress } from './rollout-status.js';

const deploy = (generation: number, spec: object, status: object): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec, status }) as KubeObject;

describe('deploymentProgress', () => {
  it("uses kubectl's wording for every stage", () => {
    expect(deploymentProgress(deploy(2, { replicas: 3 }, { observedGeneration: 1 })).message).toBe('Waiting for deployment spec update to be observed...');
    expect(deploymentProgress(deploy(1, { replicas: 3 }, { observedGeneration: 1, updatedReplicas: 1 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(deploymentProgress(deploy(1, { replicas: 3 }, { observedGeneration: 1, updatedReplicas: 3, replicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(deploymentProgress(deploy(1, { replicas: 3 }, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 1 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
    );
    const done = deploymentProgress(deploy(1, { replicas: 3 }, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }));
    expect(done).toEqual({ message: 'deployment "web" successfully rolled out', done: true });
  });

  it('fails when the progress deadline was exceeded', () => {
    const d = deploy(1, { replicas: 1 }, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(() => deploymentProgress(d)).toThrow('deployment "web" exceeded its progress deadline');
  });
});

describe('daemonSetProgress', () => {
  it('waits for updated and available pods', () => {
    const ds = (status: object) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 }, status: { observedGeneration: 1, ...status } }) as KubeObject;
    expect(daemonSetProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 1 })).done).toBe(false);
    expect(daemonSetProgress(ds({ desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 })).message).toBe('daemon set "agent" successfully rolled out');
  });
});
