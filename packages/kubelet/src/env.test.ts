import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod, Secret, Service } from '@tinykube/api';
import { buildEnv, ContainerConfigError, expand, serviceLinkEnv, type EnvContext, type ObjectSource } from './env.js';

const source: ObjectSource = {
  async configMap(ns, name) {
    return ns === 'app' && name === 'cfg' ? ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { LEVEL: 'debug', MODE: 'fast' } } as ConfigMap) : undefined;
  },
  async secret(ns, name) {
    return ns === 'app' && name === 'creds' ? ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } } as Secret) : undefined;
  },
};

function svc(ns: string, name: string, ip: string, ports: { port: number; name?: string; protocol?: 'TCP' | 'UDP' }[]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: ip, ports } } as Service;
}

function ctx(pod: Partial<Pod>, container: EnvContext['container']): EnvContext {
  return {
    pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'app', uid: 'u-1', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [container] }, ...pod } as Pod,
    container, podIP: '127.1.0.5', hostIP: '127.0.1.1', nodeName: 'n1', podDir: '/pods/u-1', rootfs: '/pods/u-1/rootfs/c', imageEnv: { PATH: '/bin', HOME: '/root' },
    services: [svc('app', 'redis-primary', '127.96.0.10', [{ port: 6379, name: 'redis' }]), svc('default', 'kubernetes', '127.96.0.1', [{ port: 443, name: 'https' }])],
    source,
  };
}

describe('expand', () => {
  it('expands $(VAR), keeps unknown references and unescapes $$', () => {
    expect(expand('$(A)-$(B)-$$(A)-$(UNKNOWN)', { A: '1', B: '2' })).toBe('1-2-$(A)-$(UNKNOWN)');
  });
});

describe('serviceLinkEnv', () => {
  it('sets Kubernetes service variables', () => {
    const env = serviceLinkEnv([svc('app', 'redis-primary', '127.96.0.10', [{ port: 6379, name: 'redis' }])]);
    expect(env).toMatchObject({
      REDIS_PRIMARY_SERVICE_HOST: '127.96.0.10',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_PORT: 'tcp://127.96.0.10:6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '127.96.0.10',
    });
    expect(serviceLinkEnv([svc('a', 'headless', 'None', [{ port: 80 }])])).toEqual({});
  });
});

describe('buildEnv', () => {
  it('layers image env, implicit pod variables, service links, envFrom and env', async () => {
    const env = await buildEnv(ctx({}, {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'HOME', value: '/home/app' },
        { name: 'URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)' },
        { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LEVEL' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      ],
    }));
    expect(env).toMatchObject({
      PATH: '/bin', HOME: '/home/app', POD_NAME: 'web-1', POD_NAMESPACE: 'app', POD_IP: '127.1.0.5', NODE_NAME: 'n1', HOSTNAME: 'web-1',
      KUBERNETES_SERVICE_HOST: '127.96.0.1', URL: 'redis://127.96.0.10:6379', MY_POD: 'web-1', MY_IP: '127.1.0.5', APP: 'web',
      CFG_LEVEL: 'debug', CFG_MODE: 'fast', LEVEL: 'debug', PW: 's3cret', TK_ROOT: '/pods/u-1/rootfs/c',
    });
  });

  it('keeps only the master service when enableServiceLinks is false', async () => {
    const env = await buildEnv(ctx({ spec: { enableServiceLinks: false, containers: [] } }, { name: 'c' }));
    expect(env.KUBERNETES_SERVICE_HOST).toBe('127.96.0.1');
    expect(env.REDIS_PRIMARY_SERVICE_HOST).toBeUndefined();
  });

  it('sets what in-cluster clients read: KUBERNETES_SERVICE_HOST, _PORT and _PORT_HTTPS (the port named https)', async () => {
    for (const enableServiceLinks of [true, false]) {
      const env = await buildEnv(ctx({ spec: { enableServiceLinks, containers: [] } }, { name: 'c' }));
      expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: '127.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443', KUBERNETES_PORT: 'tcp://127.96.0.1:443' });
    }
  });

  it('fails with CreateContainerConfigError on a missing key, unless optional', async () => {
    const missing = buildEnv(ctx({}, { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] }));
    await expect(missing).rejects.toBeInstanceOf(ContainerConfigError);
    await expect(missing).rejects.toMatchObject({ reason: 'CreateContainerConfigError' });
    await expect(buildEnv(ctx({}, { name: 'c', envFrom: [{ secretRef: { name: 'absent' } }] }))).rejects.toThrow('secret "absent" not found');
    const ok = await buildEnv(ctx({}, { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } }] }));
    expect(ok.X).toBeUndefined();
  });
});
