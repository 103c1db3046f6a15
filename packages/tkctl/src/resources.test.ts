import { describe, expect, it } from 'vitest';
import { expandTypes, kindPrefix, parseTargets } from './resources.js';

const summary = (args: string[]) => parseTargets(args).map((t) => `${t.info.plural}:${t.names.join('+')}`);

describe('parseTargets', () => {
  it('reads TYPE NAME..., comma lists and TYPE/NAME', () => {
    expect(summary(['po'])).toEqual(['pods:']);
    expect(summary(['pods,svc', 'a'])).toEqual(['pods:a', 'services:a']);
    expect(summary(['deploy/web', 'po/a', 'pod/b'])).toEqual(['deployments:web', 'pods:a+b']);
    expect(summary(['deployments.apps', 'x'])).toEqual(['deployments:x']);
  });

  it('expands all to the "all" category in kubectl order', () => {
    expect(expandTypes('all').map(kindPrefix)).toEqual(['pod', 'service', 'daemonset.apps', 'deployment.apps', 'replicaset.apps']);
  });

  it('rejects unknown types and mixed forms', () => {
    expect(() => parseTargets(['foo'])).toThrow(`the server doesn't have a resource type "foo"`);
    expect(() => parseTargets(['po/a', 'b'])).toThrow(/resource\/name form/);
    expect(() => parseTargets(['po', 'svc/b'])).toThrow(/resource\/name form/);
    expect(() => parseTargets([])).toThrow(/must specify the type/);
  });
});
