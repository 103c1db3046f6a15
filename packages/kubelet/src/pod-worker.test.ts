import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { serviceAccountTokenVolume, type ConfigMap, type Pod, type PodSpec, type Service } from '@tinykube/api';
import { waitFor, FakeClock } from '@tinykube/testkit';
import { PodIpam } from './ipam.js';
import { PodWorker, type PodWorkerDeps } from './pod-worker.js';
import type { ProbeResult } from './probes.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import type { ServiceAccountTokens } from './token-manager.js';

const root = mkdtempSync(join(tmpdir(), 'tk-worker-'));
const runtime = new ProcessRuntime({ monitorIntervalMs: 50 });
const workers: PodWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate(0)));
});
afterAll(() => {
  runtime.close();
  rmSync(root, { recursive: true, force: true });
});

let seq = 0;
function worker(spec: Partial<PodSpec>, o: { clock?: FakeClock; probe?: () => Promise<ProbeResult>; tokens?: ServiceAccountTokens; services?: Service[] } = {}): { w: PodWorker; clock: FakeClock } {
  const clock = o.clock ?? new FakeClock(Date.now());
  const ipam = new PodIpam();
  ipam.setCidr('127.1.9.0/24');
  const deps: PodWorkerDeps = {
    nodeName: 'n1', nodeIP: '127.0.0.1', rootDir: root, runtime, ipam, clock, log: pino({ level: 'silent' }),
    source: {
      configMap: async (_ns, name) => {
        if (name === 'cfg') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'msg.txt': 'from-configmap' } } as ConfigMap;
        if (name === 'kube-root-ca.crt') return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'ca.crt': 'the-ca' } } as ConfigMap;
        return undefined;
      },
      secret: async () => undefined,
    },
    tokens: o.tokens,
    services: () => o.services ?? [],
    onStatus: () => {},
    probe: o.probe,
  };
  seq++;
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${seq}`, namespace: 'default', uid: `uid-${seq}-${Date.now()}` }, spec: { containers: [], ...spec } };
  const w = new PodWorker(deps, pod, 'api');
  runtime.onExit((rec) => (rec.podUid === w.uid ? w.onContainerExit(rec) : undefined));
  workers.push(w);
  w.kick();
  return { w, clock };
}

const sh = (script: string) => ({ image: 'busybox', command: ['sh', '-c', script] });

describe('PodWorker', () => {
  it('runs a pod to Succeeded under OnFailure, with a pod IP and a log', async () => {
    const { w } = worker({ restartPolicy: 'OnFailure', containers: [{ name: 'main', ...sh('echo ip=$POD_IP') }] });
    await waitFor(() => w.status?.phase === 'Succeeded', { what: 'Succeeded' });
    expect(w.status?.podIP).toMatch(/^127\.1\.9\.\d+$/);
    expect(w.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(readFileSync(w.logFor('main')!.path, 'utf8')).toBe(`ip=${w.status?.podIP}\n`);
  });

  it('fails a pod under Never when its container fails', async () => {
    const { w } = worker({ restartPolicy: 'Never', containers: [{ name: 'main', ...sh('exit 3') }] });
    await waitFor(() => w.status?.phase === 'Failed', { what: 'Failed' });
    expect(w.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } });
  });

  it('restarts a crashing container at once, then backs off (CrashLoopBackOff) on the clock', async () => {
    const { w, clock } = worker({ containers: [{ name: 'main', ...sh('exit 1') }] });
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', { what: 'CrashLoopBackOff' });
    const cs = w.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBe(1);
    expect(cs.state?.waiting?.message).toMatch(/^back-off 10s restarting failed container=main/);
    expect(cs.lastState?.terminated?.exitCode).toBe(1);
    expect(w.status?.phase).toBe('Running');
    clock.advance(10_000);
    await waitFor(() => w.status?.containerStatuses?.[0]?.restartCount === 2, { what: 'second restart after 10 s' });
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.waiting?.message?.startsWith('back-off 20s'), { what: 'back-off doubled' });
  });

  it('runs init containers in order before the app container, sharing an emptyDir', async () => {
    const { w } = worker({
      restartPolicy: 'Never',
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        { name: 'one', ...sh('echo first > work/order'), volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        { name: 'two', ...sh('echo second >> work/order'), volumeMounts: [{ name: 'work', mountPath: '/work' }] },
      ],
      containers: [{ name: 'main', ...sh('cat data/order; cat $TK_ROOT/data/order >/dev/null'), volumeMounts: [{ name: 'work', mountPath: '/data' }] }],
    });
    await waitFor(() => w.status?.phase === 'Succeeded', { what: 'Succeeded' });
    expect(w.status?.initContainerStatuses?.map((s) => s.state?.terminated?.exitCode)).toEqual([0, 0]);
    expect(readFileSync(w.logFor('main')!.path, 'utf8')).toBe('first\nsecond\n');
  });

  it('mounts configMap volumes as files', async () => {
    const { w } = worker({
      restartPolicy: 'Never',
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      containers: [{ name: 'main', ...sh('cat etc/app/msg.txt'), volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }] }],
    });
    await waitFor(() => w.status?.phase === 'Succeeded', { what: 'Succeeded' });
    expect(readFileSync(w.logFor('main')!.path, 'utf8')).toBe('from-configmap');
  });

  it('gives the pod its identity: the kube-api-access volume under $TK_ROOT and the kubernetes Service variables', async () => {
    const asked: string[] = [];
    const tokens: ServiceAccountTokens = {
      async getServiceAccountToken(ns, name, tr) {
        asked.push(`${ns}/${name} bound to ${tr.spec.boundObjectRef?.kind} ${tr.spec.boundObjectRef?.name}`);
        return { ...tr, status: { token: 'the-jwt', expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() } };
      },
    };
    const kubernetes = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } } as Service;
    const mount = { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    const { w } = worker({
      restartPolicy: 'Never',
      serviceAccountName: 'default',
      volumes: [serviceAccountTokenVolume('kube-api-access-bbbbb')],
      containers: [{
        name: 'main',
        ...sh('d=var/run/secrets/kubernetes.io/serviceaccount; echo "$(cat $d/token) $(cat $d/ca.crt) $(cat $TK_ROOT/$d/namespace) $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS"'),
        volumeMounts: [mount],
      }],
    }, { tokens, services: [kubernetes] });
    await waitFor(() => w.status?.phase === 'Succeeded', { what: 'Succeeded' });
    expect(readFileSync(w.logFor('main')!.path, 'utf8')).toBe('the-jwt the-ca default 10.96.0.1:443\n');
    expect(asked[0]).toBe(`default/default bound to Pod ${w.name}`);
  });

  it('stays ContainerCreating while a configMap volume is missing', async () => {
    const { w } = worker({ volumes: [{ name: 'cfg', configMap: { name: 'absent' } }], containers: [{ name: 'main', ...sh('true') }] });
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.waiting?.message?.includes('configmap "absent" not found'), { what: 'FailedMount' });
    expect(w.status?.phase).toBe('Pending');
    expect(w.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an unknown image', async () => {
    const { w, clock } = worker({ containers: [{ name: 'main', image: 'nginx:1.27' }] });
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull', { what: 'ErrImagePull' });
    expect(w.status?.phase).toBe('Pending');
    clock.advance(1_000);
    w.kick();
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', { what: 'ImagePullBackOff' });
  });

  it('restarts a container whose liveness probe fails', async () => {
    const { w, clock } = worker(
      { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', ...sh('sleep 30'), livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2 } }] },
      { probe: async () => ({ ok: false, message: 'unhealthy' }) },
    );
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.running, { what: 'running' });
    const firstId = w.status!.containerStatuses![0]!.containerID;
    for (let i = 0; i < 4 && w.status?.containerStatuses?.[0]?.restartCount === 0; i++) {
      clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => w.status?.containerStatuses?.[0]?.restartCount === 1, { timeoutMs: 10_000, what: 'restart after liveness failure' });
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.running && w.status.containerStatuses[0].containerID !== firstId, { what: 'new instance running' });
  });

  it('marks a container not ready until its readiness probe passes', async () => {
    let healthy = false;
    const { w, clock } = worker(
      { containers: [{ name: 'main', ...sh('sleep 30'), readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }] },
      { probe: async () => ({ ok: healthy }) },
    );
    await waitFor(() => w.status?.containerStatuses?.[0]?.state?.running, { what: 'running' });
    expect(w.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    healthy = true;
    clock.advance(1_000);
    await waitFor(() => w.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', { what: 'Ready' });
  });

  it('terminates: SIGTERM to every container, final status terminated', async () => {
    const { w } = worker({ containers: [{ name: 'a', ...sh('sleep 30') }, { name: 'b', ...sh('sleep 30') }] });
    await waitFor(() => w.status?.containerStatuses?.every((s) => s.state?.running), { what: 'both running' });
    await w.terminate(5);
    expect(w.status?.containerStatuses?.map((s) => s.state?.terminated?.exitCode)).toEqual([143, 143]);
  });
});
