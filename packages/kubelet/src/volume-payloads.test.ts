import type { ConfigMap, Pod, Secret, TokenRequest } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import type { Payload } from './atomic-writer.js';
import type { ObjectSource } from './env.js';
import type { ServiceAccountTokens } from './token-manager.js';
import { VolumeError } from './volume-error.js';
import { downwardAPIPayload, projectedPayload, type PayloadContext } from './volume-payloads.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const source: ObjectSource = {
  async configMap(ns, name) {
    if (ns === 'app' && name === 'kube-root-ca.crt') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'ca.crt': CA } } as ConfigMap;
    if (ns === 'app' && name === 'cfg') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, binaryData: { b: Buffer.from([0, 1]).toString('base64') } } as ConfigMap;
    return undefined;
  },
  async secret(ns, name) {
    return ns === 'app' && name === 'creds' ? ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } } as Secret) : undefined;
  },
};

/** Answers every TokenRequest with a token naming what was asked. */
function fakeTokens() {
  const asked: { namespace: string; name: string; tr: TokenRequest }[] = [];
  const tokens: ServiceAccountTokens = {
    async getServiceAccountToken(namespace, name, tr) {
      asked.push({ namespace, name, tr });
      return { ...tr, status: { token: `jwt-for-${namespace}-${name}-${tr.spec.boundObjectRef?.uid}`, expirationTimestamp: '2026-03-01T11:00:07Z' } };
    },
  };
  return { tokens, asked };
}

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'app', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'hi' } },
  spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'i', resources: { limits: { memory: '64Mi' } } }] },
};

const kubeApiAccess = {
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
};

const text = (p: Payload) => Object.fromEntries([...p].map(([k, f]) => [k, f.data.toString('utf8')]));
const modes = (p: Payload) => Object.fromEntries([...p].map(([k, f]) => [k, f.mode]));

describe('projectedPayload', () => {
  it('the kube-api-access volume: a pod-bound token, the cluster CA and the namespace', async () => {
    const { tokens, asked } = fakeTokens();
    const ctx: PayloadContext = { pod, podIP: '127.1.0.5', hostIP: '127.0.1.1', source, tokens };
    const p = await projectedPayload(ctx, kubeApiAccess);
    expect(text(p)).toEqual({ token: 'jwt-for-app-robot-u-1', 'ca.crt': CA, namespace: 'app' });
    expect(modes(p)).toEqual({ token: 0o644, 'ca.crt': 0o644, namespace: 0o644 });
    expect(asked).toEqual([{
      namespace: 'app', name: 'robot',
      tr: {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {},
        spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'u-1' } },
      },
    }]);
  });

  it('asks for the given audience and lifetime; a pod without a service account name uses `default`', async () => {
    const { tokens, asked } = fakeTokens();
    const anonymous = { ...pod, spec: { ...pod.spec, serviceAccountName: undefined } };
    await projectedPayload({ pod: anonymous, podIP: '', hostIP: '', source, tokens }, { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'vault/token' } }] });
    expect(asked[0]).toMatchObject({ name: 'default', tr: { spec: { audiences: ['vault'], expirationSeconds: 600 } } });
  });

  it('mixes secrets, config maps (all keys, binary too) and item modes over the default mode', async () => {
    const ctx: PayloadContext = { pod, podIP: '', hostIP: '', source };
    const p = await projectedPayload(ctx, {
      defaultMode: 0o440,
      sources: [
        { secret: { name: 'creds', items: [{ key: 'password', path: 'db/password', mode: 0o400 }] } },
        { configMap: { name: 'cfg' } },
        { configMap: { name: 'absent', optional: true } },
        { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
      ],
    });
    expect(text(p)).toEqual({ 'db/password': 's3cret', a: '1', b: '\u0000\u0001', labels: 'app="web"\ntier="front"', mem: '64' });
    expect(modes(p)).toEqual({ 'db/password': 0o400, a: 0o440, b: 0o440, labels: 0o440, mem: 0o440 });
  });

  it('fails as a whole, naming every failing source', async () => {
    const ctx: PayloadContext = { pod, podIP: '', hostIP: '', source };
    const err = await projectedPayload(ctx, {
      sources: [
        { serviceAccountToken: { path: 'token' } },
        { configMap: { name: 'absent' } },
        { configMap: { name: 'cfg', items: [{ key: 'nope', path: 'x' }] } },
        { secret: { name: 'creds', items: [{ key: 'user', path: 'u' }] } },
      ],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VolumeError);
    expect((err as Error).message).toBe([
      'cannot use TokenManager when kubelet is in standalone mode',
      'configmap "absent" not found',
      'configmap references non-existent config key: nope',
      'references non-existent secret key: user',
    ].join('; '));
  });

  it('a failed token request fails the volume with its reason', async () => {
    const tokens: ServiceAccountTokens = { getServiceAccountToken: async () => { throw new Error('failed to fetch token: serviceaccounts "robot" not found'); } };
    await expect(projectedPayload({ pod, podIP: '', hostIP: '', source, tokens }, kubeApiAccess)).rejects.toThrow('failed to fetch token: serviceaccounts "robot" not found');
  });
});

describe('downwardAPIPayload', () => {
  it('writes pod fields, one label or annotation, and names a missing container', () => {
    const ctx: PayloadContext = { pod, podIP: '127.1.0.5', hostIP: '127.0.1.1', source };
    const p = downwardAPIPayload(ctx, [
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'ip', fieldRef: { fieldPath: 'status.podIP' } },
      { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    ]);
    expect(text(p)).toEqual({ name: 'web-1', ip: '127.1.0.5', tier: 'front', annotations: 'note="hi"' });
    expect(() => downwardAPIPayload(ctx, [{ path: 'cpu', resourceFieldRef: { containerName: 'ghost', resource: 'limits.cpu' } }])).toThrow('container "ghost" not found');
  });
});
