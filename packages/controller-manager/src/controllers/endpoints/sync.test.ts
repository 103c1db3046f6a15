import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { newPod, newService } from '../../core/fixtures.js';
import type { Endpoints } from '@tinykube/api';
import { buildSubsets, syncEndpoints } from './sync.js';

const sel = { app: 'web' };

function setup(init: ConstructorParameters<typeof FakeLister>[0]) {
  const lister = new FakeLister(init);
  const actions = new FakeActions();
  return { lister, actions, deps: { lister, actions } };
}

describe('syncEndpoints', () => {
  it('creates Endpoints with ready and not-ready addresses, targetRef and nodeName', async () => {
    const { actions, deps } = setup({
      services: [newService('web', sel)],
      pods: [
        newPod('a', { labels: sel, ip: '10.0.0.2', node: 'n1', ready: true }),
        newPod('b', { labels: sel, ip: '10.0.0.1', node: 'n2', ready: false }),
        newPod('noip', { labels: sel, ready: true }),
        newPod('going', { labels: sel, ip: '10.0.0.9', ready: true, deleting: true }),
        newPod('other', { labels: { app: 'x' }, ip: '10.0.0.5', ready: true }),
      ],
    });
    await syncEndpoints(deps, 'default/web');
    expect(actions.summary()).toEqual(['create endpoints default/web']);
    const ep = actions.actions[0].object as Endpoints;
    expect(ep.metadata.labels).toEqual({ svc: 'web' });
    expect(ep.subsets).toEqual([{
      addresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }],
      notReadyAddresses: [{ ip: '10.0.0.1', nodeName: 'n2', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
  });

  it('resolves named target ports per pod and groups pods by port set', () => {
    const svc = newService('web', sel, [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }]);
    const a = newPod('a', { labels: sel, ip: '10.0.0.1', ready: true });
    a.spec.containers[0].ports = [{ name: 'web', containerPort: 8080 }];
    const b = newPod('b', { labels: sel, ip: '10.0.0.2', ready: true });
    b.spec.containers[0].ports = [{ name: 'web', containerPort: 9090 }];
    const c = newPod('c', { labels: sel, ip: '10.0.0.3', ready: true }); // no such port: skipped
    const subsets = buildSubsets(svc, [a, b, c]);
    expect(subsets.map((s) => [s.addresses!.map((x) => x.ip), s.ports])).toEqual([
      [['10.0.0.1'], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [['10.0.0.2'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
    ]);
  });

  it('does not write when nothing changed, updates when a pod becomes ready', async () => {
    const svc = newService('web', sel);
    const pod = newPod('a', { labels: sel, ip: '10.0.0.1', ready: false });
    const existing: Endpoints = {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', labels: { svc: 'web' }, resourceVersion: '5' },
      subsets: buildSubsets(svc, [pod]),
    };
    const { lister, actions, deps } = setup({ services: [svc], pods: [pod], endpoints: [existing] });
    await syncEndpoints(deps, 'default/web');
    expect(actions.summary()).toEqual([]);
    lister.put('pods', newPod('a', { labels: sel, ip: '10.0.0.1', ready: true }));
    await syncEndpoints(deps, 'default/web');
    expect(actions.summary()).toEqual(['update endpoints default/web']);
    expect((actions.actions[0].object as Endpoints).subsets![0].addresses![0].ip).toBe('10.0.0.1');
  });

  it('deletes Endpoints when the Service is gone and leaves selectorless Services alone', async () => {
    const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' } };
    const manual: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'default' }, subsets: [{ addresses: [{ ip: '1.2.3.4' }] }] };
    const { actions, deps } = setup({ endpoints: [ep, manual], services: [newService('ext', undefined)] });
    await syncEndpoints(deps, 'default/web');
    await syncEndpoints(deps, 'default/ext');
    expect(actions.summary()).toEqual(['delete endpoints default/web']);
  });

  it('creates empty Endpoints for a Service with no pods', async () => {
    const { actions, deps } = setup({ services: [newService('web', sel)] });
    await syncEndpoints(deps, 'default/web');
    expect((actions.actions[0].object as Endpoints).subsets).toEqual([]);
  });
});
