// Nodes without kubelets for bench:controllers: each registered through the API as Ready with allocatable,
// with a Lease in kube-node-lease that the bench renews (as a kubelet would every 10 s), so node lifecycle
// keeps them Ready. Nothing runs their pods: bound pods stay Pending, which is all the bench needs.
//
// Not SimKubelets (test/sim-kubelet.ts): it registers 4 CPU / 8Gi nodes and, every 200 ms, lists all pods and
// writes their status — with 1,000 pods that is load on the apiserver during the measured window.
import { Api, microTime } from '../test/api.js';

export const NODE_RESOURCES = { cpu: '32', memory: '128Gi', pods: '110' };

export class FakeNodes {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  errors: string[] = [];

  /** Node i is `<prefix>-i` with InternalIP `<ipPrefix>.(i+1)`. */
  constructor(private readonly api: Api, readonly count: number, private readonly prefix = 'bench-node', private readonly ipPrefix = '127.0.9') {}

  names(): string[] {
    return Array.from({ length: this.count }, (_, i) => `${this.prefix}-${i}`);
  }

  /** Registers every node (20 at a time) with its status and Lease. */
  async register(): Promise<void> {
    const names = this.names();
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(names.slice(i, i + 20).map((name, j) => this.registerOne(name, `${this.ipPrefix}.${i + j + 1}`)));
    }
  }

  /** Renews every Lease each `intervalMs` (a kubelet's default is 10 s). */
  startRenewing(intervalMs = 10_000): void {
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(() => this.renewAll()).catch((err: Error) => { this.errors.push(err.message); });
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
  }

  private async registerOne(name: string, ip: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.api.must('POST', '/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } }, spec: {},
    });
    // A merge patch, not a PUT: node IPAM and node lifecycle may already have written the Node.
    const status = {
      capacity: NODE_RESOURCES, allocatable: NODE_RESOURCES,
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
    };
    await this.api.must('PATCH', `/api/v1/nodes/${name}/status`, { status }, 'application/merge-patch+json');
    await this.api.must('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
    });
  }

  private async renewAll(): Promise<void> {
    await Promise.all(this.names().map((n) => this.api.must(
      'PATCH', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`, { spec: { renewTime: microTime() } }, 'application/merge-patch+json',
    )));
  }
}
