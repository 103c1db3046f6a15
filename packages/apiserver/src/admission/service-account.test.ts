import { registry, type KubeObject, type Pod, type ServiceAccount } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { isApiError, serviceAccountTokenVolume } from '@tinykube/api';
import type { Storage } from '../storage/storage.js';
import { serviceAccountAdmission, serviceAccountAdmissionFor, type ServiceAccountGetter } from './service-account.js';
import type { AdmissionRequest, Operation } from './types.js';

const pods = registry.get('', 'pods')!;
const user = { username: 'alice', groups: ['system:authenticated'] };
const MOUNT = { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

function sa(name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'app', uid: `uid-${name}` }, ...extra };
}

function pod(spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'app', ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

function req(object: Pod, o: { operation?: Operation; subresource?: string } = {}): AdmissionRequest {
  return {
    operation: o.operation ?? 'CREATE', info: pods, namespace: 'app', name: object.metadata.name ?? '', subresource: o.subresource ?? '',
    object: object as KubeObject, user, dryRun: false,
  };
}

/** A cache and a live store; counts live reads and sleeps. `appearsAfter`: live reads before the SA shows up. */
function setup(accounts: ServiceAccount[], o: { appearsAfter?: number; liveError?: Error } = {}) {
  const cache = new Map(accounts.map((a) => [a.metadata.name!, a]));
  const later = new Map<string, ServiceAccount>();
  let liveReads = 0;
  const sleeps: number[] = [];
  const getter: ServiceAccountGetter = {
    cached: (_ns, name) => cache.get(name),
    live: async (_ns, name) => {
      liveReads++;
      if (o.liveError) throw o.liveError;
      if (o.appearsAfter !== undefined && liveReads > o.appearsAfter) return later.get(name);
      return undefined;
    },
  };
  // random() = 0 → suffix bbbbb (the alphabet's first letter), and a 100 ms retry interval
  const plugin = serviceAccountAdmission(getter, { random: () => 0, sleep: async (ms) => void sleeps.push(ms) });
  return { plugin, later, sleeps, liveReads: () => liveReads };
}

async function refusal(p: void | Promise<void>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('admitted');
}

describe('ServiceAccount admission', () => {
  it('names `default` and mounts the kube-api-access volume in every container and init container', async () => {
    const { plugin } = setup([sa('default')]);
    const p = pod({ initContainers: [{ name: 'init', image: 'busybox' }] });
    await plugin.admit(req(p));
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.serviceAccount).toBe('default');
    expect(p.spec.volumes).toEqual([{
      name: 'kube-api-access-bbbbb',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }]);
    expect(p.spec.initContainers![0]!.volumeMounts).toEqual([MOUNT]);
    expect(p.spec.containers[0]!.volumeMounts).toEqual([MOUNT]);
  });

  it('generates a 5-character suffix from kube\'s alphabet', async () => {
    const p = pod();
    const plugin = serviceAccountAdmission({ cached: () => sa('default'), live: async () => undefined });
    await plugin.admit(req(p));
    expect(p.spec.volumes![0]!.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(plugin.name).toBe('ServiceAccount');
  });

  it('leaves containers that mount something at the token path alone, and adds no volume if none needs it', async () => {
    const { plugin } = setup([sa('default')]);
    const own = { name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    const p = pod({ volumes: [{ name: 'mine', emptyDir: {} }], containers: [{ name: 'c', image: 'i', volumeMounts: [own] }] });
    await plugin.admit(req(p));
    expect(p.spec.volumes).toEqual([{ name: 'mine', emptyDir: {} }]);
    expect(p.spec.containers[0]!.volumeMounts).toEqual([own]);

    const mixed = pod({ volumes: [{ name: 'mine', emptyDir: {} }], containers: [{ name: 'a', image: 'i', volumeMounts: [own] }, { name: 'b', image: 'i' }] });
    await plugin.admit(req(mixed));
    expect(mixed.spec.containers[0]!.volumeMounts).toEqual([own]);
    expect(mixed.spec.containers[1]!.volumeMounts).toEqual([MOUNT]);
    expect(mixed.spec.volumes!.map((v) => v.name)).toEqual(['mine', 'kube-api-access-bbbbb']);
  });

  it('reuses a kube-api-access-* volume the pod already has', async () => {
    const { plugin } = setup([sa('default')]);
    const p = pod({ volumes: [serviceAccountTokenVolume('kube-api-access-x7k2p')] });
    await plugin.admit(req(p));
    expect(p.spec.volumes!.map((v) => v.name)).toEqual(['kube-api-access-x7k2p']);
    expect(p.spec.containers[0]!.volumeMounts).toEqual([{ ...MOUNT, name: 'kube-api-access-x7k2p' }]);
  });

  it('automountServiceAccountToken: the pod\'s choice wins over the ServiceAccount\'s', async () => {
    const { plugin } = setup([sa('default'), sa('quiet', { automountServiceAccountToken: false })]);
    const off = pod({ automountServiceAccountToken: false });
    await plugin.admit(req(off));
    expect(off.spec.volumes).toBeUndefined();
    expect(off.spec.containers[0]!.volumeMounts).toBeUndefined();
    expect(off.spec.serviceAccountName).toBe('default');

    const bySa = pod({ serviceAccountName: 'quiet' });
    await plugin.admit(req(bySa));
    expect(bySa.spec.volumes).toBeUndefined();

    const podSaysYes = pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true });
    await plugin.admit(req(podSaysYes));
    expect(podSaysYes.spec.volumes).toHaveLength(1);
  });

  it('copies the ServiceAccount\'s imagePullSecrets to a pod that has none', async () => {
    const { plugin } = setup([sa('builder', { imagePullSecrets: [{ name: 'regcred' }] })]);
    const p = pod({ serviceAccountName: 'builder' });
    await plugin.admit(req(p));
    expect(p.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const own = pod({ serviceAccountName: 'builder', imagePullSecrets: [{ name: 'mine' }] });
    await plugin.admit(req(own));
    expect(own.spec.imagePullSecrets).toEqual([{ name: 'mine' }]);
  });

  it('refuses (403) a pod whose ServiceAccount does not exist, after one live read', async () => {
    const s = setup([]);
    expect(await refusal(s.plugin.admit(req(pod({ serviceAccountName: 'robot' }))))).toEqual({
      code: 403, reason: 'Forbidden',
      message: 'pods "web" is forbidden: error looking up service account app/robot: serviceaccount "robot" not found',
    });
    expect(s.liveReads()).toBe(1);
    expect(s.sleeps).toEqual([]);
  });

  it('waits for `default` (10 live reads, 100–200 ms apart) before refusing', async () => {
    const s = setup([]);
    const r = await refusal(s.plugin.admit(req(pod())));
    expect(r.message).toBe('pods "web" is forbidden: error looking up service account app/default: serviceaccount "default" not found');
    expect(s.liveReads()).toBe(10);
    expect(s.sleeps).toEqual(Array(9).fill(100));

    const late = setup([], { appearsAfter: 2 });
    late.later.set('default', sa('default'));
    const p = pod();
    await late.plugin.admit(req(p));
    expect(late.liveReads()).toBe(3);
    expect(p.spec.volumes).toHaveLength(1);
  });

  it('a failed lookup is a 403 naming the error', async () => {
    const s = setup([], { liveError: new Error('etcdserver: request timed out') });
    expect((await refusal(s.plugin.admit(req(pod({ serviceAccountName: 'robot' }))))).message)
      .toBe('pods "web" is forbidden: error looking up service account app/robot: etcdserver: request timed out');
  });

  it('never changes a mirror pod, and refuses one naming a service account, a Secret or a token projection', async () => {
    const { plugin } = setup([sa('default')]);
    const mirror = { 'kubernetes.io/config.mirror': 'abc123' };
    const fine = pod({}, mirror);
    const before = structuredClone(fine);
    await plugin.admit(req(fine));
    expect(fine).toEqual(before);

    const cases: [Partial<Pod['spec']>, string][] = [
      [{ serviceAccountName: 'default' }, 'a mirror pod may not reference service accounts'],
      [{ volumes: [{ name: 's', secret: { secretName: 'creds' } }] }, 'a mirror pod may not reference secrets'],
      [{ containers: [{ name: 'c', image: 'i', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'p' } } }] }] }, 'a mirror pod may not reference secrets'],
      [{ volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }, 'a mirror pod may not use ServiceAccountToken volume projections'],
    ];
    for (const [spec, why] of cases) {
      expect(await refusal(plugin.admit(req(pod(spec, mirror))))).toEqual({ code: 403, reason: 'Forbidden', message: `pods "web" is forbidden: ${why}` });
    }
  });

  it('over storage: the watch cache first, then a read of the store', async () => {
    const inCache = new Map([['/registry/serviceaccounts/app/default', { obj: sa('default') }]]);
    const stored = new Map([['app/robot', sa('robot')]]);
    const reads: string[] = [];
    const storage = {
      keys: { objectKey: (plural: string, ns: string | undefined, name: string) => `/registry/${plural}/${ns}/${name}` },
      get: (_group: string, plural: string) => plural !== 'serviceaccounts' ? undefined : {
        cache: { get: (key: string) => inCache.get(key) },
        getOrUndefined: async (ns: string, name: string) => { reads.push(`${ns}/${name}`); return stored.get(`${ns}/${name}`); },
      },
    } as unknown as Storage;
    const plugin = serviceAccountAdmissionFor(storage);
    await plugin.admit(req(pod()));
    expect(reads).toEqual([]);
    const robot = pod({ serviceAccountName: 'robot' });
    await plugin.admit(req(robot));
    expect(reads).toEqual(['app/robot']);
    expect(robot.spec.volumes).toHaveLength(1);
  });

  it('only admits pod creates: updates, subresources and other resources pass untouched', async () => {
    const { plugin } = setup([]);
    for (const r of [req(pod(), { operation: 'UPDATE' }), req(pod(), { subresource: 'status' }), { ...req(pod()), info: registry.get('', 'configmaps')! }]) {
      const before = structuredClone(r.object);
      await plugin.admit(r);
      expect(r.object).toEqual(before);
    }
  });
});
