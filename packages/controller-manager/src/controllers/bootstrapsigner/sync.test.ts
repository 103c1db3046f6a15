import { computeDetachedSignature, type ConfigMap, type Secret } from '@tinykube/api';
import { parseKubeconfig } from '@tinykube/client';
import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, TestClock } from '../../core/fake.js';
import { clusterInfoKubeconfig, syncBootstrapSigner } from './sync.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const KUBECONFIG = clusterInfoKubeconfig('https://10.0.0.1:6443', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

function token(id: string, secret: string, extra: Record<string, string> = {}): Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries({ 'token-id': id, 'token-secret': secret, 'usage-bootstrap-signing': 'true', ...extra }).map(([k, v]) => [k, b64(v)])),
  };
}

const clusterInfo = (data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public', resourceVersion: '9' }, data,
});

function setup(o: { configmaps?: ConfigMap[]; secrets?: Secret[] }, clusterInfoFrom?: { server: string; caPem: string }) {
  const clock = new TestClock();
  const lister = new FakeLister({ configmaps: o.configmaps ?? [], secrets: o.secrets ?? [] });
  const actions = new FakeActions(lister);
  return { clock, lister, actions, deps: { lister, actions, now: clock.now, clusterInfo: clusterInfoFrom } };
}

describe('syncBootstrapSigner', () => {
  it('signs cluster-info with every signing token (detached JWS), drops signatures of tokens gone, keeps the kubeconfig', async () => {
    const { actions, deps } = setup({
      configmaps: [clusterInfo({ kubeconfig: KUBECONFIG, 'jws-kubeconfig-gone00': 'x..y' })],
      secrets: [token('abcdef', '0123456789abcdef'), token('nosign', '0123456789abcdef', { 'usage-bootstrap-signing': 'false' })],
    });
    await syncBootstrapSigner(deps);
    expect(actions.summary()).toEqual(['update configmaps kube-public/cluster-info']);
    const data = (actions.of('update')[0]!.object as ConfigMap).data!;
    expect(Object.keys(data).sort()).toEqual(['jws-kubeconfig-abcdef', 'kubeconfig']);
    expect(data['jws-kubeconfig-abcdef']).toBe(computeDetachedSignature(KUBECONFIG, 'abcdef', '0123456789abcdef'));
    expect(data['jws-kubeconfig-abcdef']).toMatch(/^eyJhbGciOiJIUzI1NiIsImtpZCI6ImFiY2RlZiJ9\.\.[A-Za-z0-9_-]{43}$/);
  });

  it('writes nothing when the signatures are right; an expired token\'s signature goes, and it requeues at the next expiry', async () => {
    const sig = computeDetachedSignature(KUBECONFIG, 'abcdef', '0123456789abcdef');
    const ok = setup({ configmaps: [clusterInfo({ kubeconfig: KUBECONFIG, 'jws-kubeconfig-abcdef': sig })], secrets: [token('abcdef', '0123456789abcdef', { expiration: '2026-01-01T01:00:00Z' })] });
    expect(await syncBootstrapSigner(ok.deps)).toEqual({ requeueAfterMs: 3_600_001 });
    expect(ok.actions.summary()).toEqual([]);
    ok.clock.advance(3_600_001);
    await syncBootstrapSigner(ok.deps);
    expect((ok.actions.of('update')[0]!.object as ConfigMap).data).toEqual({ kubeconfig: KUBECONFIG });
  });

  it('creates a missing cluster-info from the root CA and server, then signs it', async () => {
    const { actions, deps } = setup({ secrets: [token('abcdef', '0123456789abcdef')] }, { server: 'https://10.0.0.1:6443', caPem: 'CA' });
    await syncBootstrapSigner(deps);
    expect(actions.summary()).toEqual(['create configmaps kube-public/cluster-info', 'update configmaps kube-public/cluster-info']);
    const kc = parseKubeconfig((actions.of('create')[0]!.object as ConfigMap).data!.kubeconfig!);
    expect(kc.clusters[0]!.cluster).toEqual({ server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64('CA') });
  });

  it('creates the Secret of --bootstrap-token-file when missing (never expiring), and leaves an existing one alone', async () => {
    const { actions, deps } = setup({ configmaps: [clusterInfo({ kubeconfig: KUBECONFIG })] });
    await syncBootstrapSigner({ ...deps, token: { id: 'abcdef', secret: '0123456789abcdef' } });
    expect(actions.summary()).toEqual(['create secrets kube-system/bootstrap-token-abcdef']);
    expect((actions.of('create')[0]!.object as Secret).stringData).toMatchObject({
      'token-id': 'abcdef', 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true', 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    });
    const again = setup({ configmaps: [clusterInfo({ kubeconfig: KUBECONFIG, 'jws-kubeconfig-abcdef': computeDetachedSignature(KUBECONFIG, 'abcdef', '0123456789abcdef') })], secrets: [token('abcdef', '0123456789abcdef')] });
    await syncBootstrapSigner({ ...again.deps, token: { id: 'abcdef', secret: '0123456789abcdef' } });
    expect(again.actions.summary()).toEqual([]);
  });

  it('without cluster-info and nothing to make it from, does nothing', async () => {
    const { actions, deps } = setup({ secrets: [token('abcdef', '0123456789abcdef')] });
    await syncBootstrapSigner(deps);
    expect(actions.summary()).toEqual([]);
  });
});
