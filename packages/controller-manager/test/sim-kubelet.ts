import { Api, microTime } from './api.js';

/**
 * Stands in for kubelets (and the scheduler) in the integration test: registers Nodes with
 * heartbeating Leases, binds pending pods to live untainted nodes round-robin, marks bound pods
 * Running/Ready through pods/status after a short delay, and confirms graceful deletions. A node
 * can be "killed": its Lease stops being renewed and its pods are no longer looked after.
 */
const RESOURCES = { cpu: '4', memory: '8Gi', pods: '110' };

export class SimKubelets {
  private readonly dead = new Set<string>();
  private readonly boundAt = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  private rr = 0;
  private ipSeq = 1;
  errors: string[] = [];

  /** bind = false leaves scheduling to a real tinykube-scheduler. */
  constructor(private readonly api: Api, readonly nodes: string[], private readonly readyDelayMs = 400, private readonly bind = true) {}

  async register(): Promise<void> {
    for (const name of this.nodes) {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const node = await this.api.must('POST', '/api/v1/nodes', {
        apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {},
      });
      node.status = { capacity: RESOURCES, allocatable: RESOURCES, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }] };
      await this.api.must('PUT', `/api/v1/nodes/${name}/status`, node);
      await this.api.must('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
      });
    }
  }

  start(intervalMs = 200): void {
    let lastRenew = 0;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      const renew = Date.now() - lastRenew > 500;
      if (renew) lastRenew = Date.now();
      this.tick(renew).catch((err: Error) => this.errors.push(err.message)).finally(() => { this.busy = false; });
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }

  kill(node: string): void {
    this.dead.add(node);
  }

  /** The kubelet comes back: Lease renewals resume and it posts Ready again. */
  async revive(node: string): Promise<void> {
    this.dead.delete(node);
    const n = await this.api.must('GET', `/api/v1/nodes/${node}`);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    n.status.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }];
    await this.api.must('PUT', `/api/v1/nodes/${node}/status`, n);
  }

  private alive(): string[] {
    return this.nodes.filter((n) => !this.dead.has(n));
  }

  private async tick(renew: boolean): Promise<void> {
    if (renew) {
      for (const n of this.alive()) {
        await this.api.must('PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`, { spec: { renewTime: microTime() } }, 'application/merge-patch+json');
      }
    }
    const nodes = await this.api.list('/api/v1/nodes');
    const schedulable = nodes
      .filter((n) => this.alive().includes(n.metadata.name))
      .filter((n) => !(n.spec?.taints ?? []).some((t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
      .map((n) => n.metadata.name as string);
    for (const pod of await this.api.list('/api/v1/pods')) {
      const { namespace, name } = pod.metadata;
      const path = `/api/v1/namespaces/${namespace}/pods/${name}`;
      const node: string | undefined = pod.spec.nodeName;
      if (!node) {
        if (!this.bind || pod.metadata.deletionTimestamp || schedulable.length === 0) continue;
        // Daemon pods name their node through required affinity on metadata.name (kube >= 1.12).
        const pinned = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
        if (pinned && !this.alive().includes(pinned)) continue;
        const target = pinned ?? schedulable[this.rr++ % schedulable.length];
        const r = await this.api.req('POST', `${path}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: target } });
        if (r.status < 300) this.boundAt.set(pod.metadata.uid, Date.now());
        continue;
      }
      if (this.dead.has(node)) continue;
      if (pod.metadata.deletionTimestamp) {
        await this.api.req('DELETE', path, { gracePeriodSeconds: 0 });
        continue;
      }
      const ready = (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      if (!this.boundAt.has(pod.metadata.uid)) this.boundAt.set(pod.metadata.uid, Date.now()); // bound by a scheduler
      const since = this.boundAt.get(pod.metadata.uid) ?? 0;
      if (!ready && Date.now() - since >= this.readyDelayMs) {
        const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        pod.status = {
          ...pod.status, phase: 'Running', podIP: pod.status?.podIP ?? `10.250.0.${this.ipSeq++}`, startTime: t,
          conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True', lastTransitionTime: t }],
          containerStatuses: pod.spec.containers.map((c: any) => ({ name: c.name, image: c.image, ready: true, restartCount: 0, state: { running: { startedAt: t } } })),
        };
        await this.api.req('PUT', `${path}/status`, pod);
      }
    }
  }
}
