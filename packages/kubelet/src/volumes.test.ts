import { FakeClock } from '@tinykube/testkit';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAccountTokenVolume, type ConfigMap, type Pod, type TokenRequest } from '@tinykube/api';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectSource } from './env.js';
import { TokenManager } from './token-manager.js';
import { mountVolumes, prepareVolumes, volumeDir } from './volumes.js';

const root = mkdtempSync(join(tmpdir(), 'tk-volumes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SA_DIR = 'var/run/secrets/kubernetes.io/serviceaccount';

function cluster() {
  const clock = new FakeClock(Date.parse('2026-03-01T10:00:00Z'));
  const requests: TokenRequest[] = [];
  const tokens = new TokenManager({
    clock, random: () => 0,
    request: async (_ns, _name, tr) => {
      requests.push(tr);
      return { ...tr, status: { token: `jwt-${requests.length}`, expirationTimestamp: new Date(clock.now() + tr.spec.expirationSeconds! * 1000).toISOString() } };
    },
  });
  const data: Record<string, string> = { 'ca.crt': 'CA-1' };
  const source: ObjectSource = {
    configMap: async (_ns, name) => (name === 'kube-root-ca.crt' ? ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { ...data } } as ConfigMap) : undefined),
    secret: async () => undefined,
  };
  return { clock, tokens, requests, data, vc: { source, tokens, podIP: '127.1.0.9', hostIP: '127.0.0.1' } };
}

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'app', uid: 'uid-web' },
  spec: {
    serviceAccountName: 'default',
    volumes: [serviceAccountTokenVolume('kube-api-access-bbbbb')],
    containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'kube-api-access-bbbbb', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
  },
};

describe('projected volumes on disk', () => {
  it('writes the files in the volume folder; the container sees them at $TK_ROOT/<mountPath>', async () => {
    const { vc } = cluster();
    const dir = join(root, 'p1');
    await prepareVolumes(pod, dir, vc);
    const vol = volumeDir(dir, 'kube-api-access-bbbbb');
    expect(readFileSync(join(vol, 'token'), 'utf8')).toBe('jwt-1');
    expect(readFileSync(join(vol, 'ca.crt'), 'utf8')).toBe('CA-1');
    expect(readFileSync(join(vol, 'namespace'), 'utf8')).toBe('app');
    expect(statSync(join(vol, 'token')).mode & 0o777).toBe(0o644);
    const { rootfs } = mountVolumes(pod, pod.spec.containers[0]!, dir);
    expect(readFileSync(join(rootfs, SA_DIR, 'token'), 'utf8')).toBe('jwt-1');
    expect(readFileSync(join(rootfs, SA_DIR, 'ca.crt'), 'utf8')).toBe('CA-1');
  });

  it('re-syncs keep the token until 80% of its lifetime, then write a new one in place; a new CA follows', async () => {
    const { vc, clock, requests, data } = cluster();
    const dir = join(root, 'p2');
    const token = join(volumeDir(dir, 'kube-api-access-bbbbb'), 'token');
    await prepareVolumes(pod, dir, vc);
    const first = statSync(token).ino;
    for (let i = 0; i < 5; i++) {
      clock.advance(500_000); // 5 resyncs, 2500 s
      await prepareVolumes(pod, dir, vc);
    }
    expect(requests).toHaveLength(1);
    expect(statSync(token).ino).toBe(first);
    clock.advance(400_000); // 2900 s > 80% of 3607 s
    await prepareVolumes(pod, dir, vc);
    expect(requests).toHaveLength(2);
    expect(readFileSync(token, 'utf8')).toBe('jwt-2');
    expect(statSync(token).ino).not.toBe(first); // renamed into place, never rewritten in place
    data['ca.crt'] = 'CA-2';
    await prepareVolumes(pod, dir, vc);
    expect(readFileSync(join(volumeDir(dir, 'kube-api-access-bbbbb'), 'ca.crt'), 'utf8')).toBe('CA-2');
    expect(existsSync(join(volumeDir(dir, 'kube-api-access-bbbbb'), 'namespace'))).toBe(true);
  });

  it('a volume that cannot be set up keeps its previous files', async () => {
    const { vc, data } = cluster();
    const dir = join(root, 'p3');
    await prepareVolumes(pod, dir, vc);
    delete data['ca.crt'];
    await expect(prepareVolumes(pod, dir, vc)).rejects.toThrow('configmap references non-existent config key: ca.crt');
    expect(readFileSync(join(volumeDir(dir, 'kube-api-access-bbbbb'), 'ca.crt'), 'utf8')).toBe('CA-1');
  });
});
