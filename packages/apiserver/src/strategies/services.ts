/**
 * Services: ClusterIP and NodePort allocation (Kubernetes' service REST + ipallocator/portallocator).
 * - create: `clusterIP: None` is headless; a requested IP/port must be in range and free (else 422);
 *   otherwise one is allocated. ExternalName services get no IP.
 * - update: an omitted clusterIP / nodePort keeps the allocated one (as Kubernetes' patchAllocatedValues),
 *   type changes allocate or release, and values no longer used are released once the write succeeded.
 * - delete: everything the service held is released.
 */
import type { KubeObject, ServicePort, ServiceSpec } from '@tinykube/api';
import type { KeyAllocator, Owner } from '../allocation/allocator.js';
import { invalid } from '@tinykube/api';
import { NO_RESERVATION, type Reservation, type Strategy, type WriteContext } from '../storage/strategy.js';
import { isRecord } from '../util.js';


function spec(obj: KubeObject): ServiceSpec {
  if (!isRecord(obj.spec)) obj.spec = {};
  return obj.spec as ServiceSpec;
}

function needsClusterIP(s: ServiceSpec): boolean {
  return (s.type ?? 'ClusterIP') !== 'ExternalName';
}

function needsNodePorts(s: ServiceSpec): boolean {
  return s.type === 'NodePort' || s.type === 'LoadBalancer';
}

function allocatedIp(s: ServiceSpec): string | undefined {
  return s.clusterIP && s.clusterIP !== 'None' ? s.clusterIP : undefined;
}

function nodePorts(s: ServiceSpec): number[] {
  return (s.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n > 0);
}

function portKey(p: ServicePort): string {
  return `${p.port ?? ''}/${p.protocol ?? 'TCP'}`;
}

export class ServiceAllocations {
  constructor(readonly ips: KeyAllocator, readonly ports: KeyAllocator) {}

  strategy(): Strategy {
    return {
      returnDeletedObject: true,
      prepareForCreate: (obj) => { obj.status = { loadBalancer: {} }; },
      reserveForCreate: (obj, ctx) => this.reserve(obj, undefined, ctx),
      reserveForUpdate: (obj, old, ctx) => this.reserve(obj, old, ctx),
      afterDelete: async (obj) => {
        const s = isRecord(obj.spec) ? (obj.spec as ServiceSpec) : {};
        const ip = allocatedIp(s);
        if (ip) await this.ips.release(ip);
        for (const p of nodePorts(s)) await this.ports.release(String(p));
      },
    };
  }

  private fail(obj: KubeObject, field: string, value: string, message: string): never {
    throw invalid('Service', '', obj.metadata.name ?? '', [{ reason: 'FieldValueInvalid', field, message: `Invalid value: "${value}": ${message}` }]);
  }

  private async reserve(obj: KubeObject, old: KubeObject | undefined, ctx: WriteContext): Promise<Reservation> {
    const s = spec(obj);
    const o: ServiceSpec = old && isRecord(old.spec) ? (old.spec as ServiceSpec) : {};
    const owner: Owner = { namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
    const taken: (() => Promise<void>)[] = [];
    const toRelease: (() => Promise<void>)[] = [];
    const rollback = async () => { for (const t of taken) await t(); };
    try {
      // --- ClusterIP ---
      if (!needsClusterIP(s)) {
        delete s.clusterIP; delete s.clusterIPs;
        const oldIp = allocatedIp(o);
        if (oldIp) toRelease.push(() => this.ips.release(oldIp));
      } else {
        if (!s.clusterIP && s.clusterIPs?.length) s.clusterIP = s.clusterIPs[0];
        if (!s.clusterIP && o.clusterIP && needsClusterIP(o)) s.clusterIP = o.clusterIP; // keep what was allocated
        const oldIp = needsClusterIP(o) ? allocatedIp(o) : undefined;
        if (s.clusterIP === 'None') {
          s.clusterIPs = ['None'];
        } else if (s.clusterIP && s.clusterIP === oldIp) {
          s.clusterIPs = [s.clusterIP];
        } else if (!ctx.dryRun) {
          if (s.clusterIP) {
            const want = s.clusterIP;
            if (!this.ips.inRange(want)) this.fail(obj, 'spec.clusterIPs', want, 'failed to allocate IP: the provided IP is not in the valid range');
            if (!(await this.ips.allocateSpecific(want, owner))) this.fail(obj, 'spec.clusterIPs', want, 'failed to allocate IP: provided IP is already allocated');
            taken.push(() => this.ips.release(want));
          } else {
            const ip = await this.ips.allocate(owner);
            if (!ip) this.fail(obj, 'spec.clusterIPs', '', 'failed to allocate IP: range is full');
            s.clusterIP = ip;
            taken.push(() => this.ips.release(ip));
          }
          s.clusterIPs = [s.clusterIP];
          if (oldIp && oldIp !== s.clusterIP) toRelease.push(() => this.ips.release(oldIp));
        }
        if (s.clusterIP !== 'None' && s.ipFamilies === undefined) s.ipFamilies = ['IPv4'];
        if (s.ipFamilyPolicy === undefined) s.ipFamilyPolicy = 'SingleStack';
      }
      // --- NodePorts ---
      const oldPorts = new Map((o.ports ?? []).filter((p) => p.nodePort).map((p) => [portKey(p), p.nodePort!]));
      const oldHeld = new Set(needsNodePorts(o) ? nodePorts(o) : []);
      const keep = new Set<number>();
      if (needsNodePorts(s)) {
        for (const [i, p] of (s.ports ?? []).entries()) {
          if (!isRecord(p)) continue;
          if (!p.nodePort && oldPorts.has(portKey(p))) p.nodePort = oldPorts.get(portKey(p));
          if (p.nodePort && oldHeld.has(p.nodePort)) { keep.add(p.nodePort); continue; }
          if (ctx.dryRun) continue;
          if (p.nodePort) {
            const want = String(p.nodePort);
            if (!this.ports.inRange(want)) this.fail(obj, `spec.ports[${i}].nodePort`, want, 'provided port is not in the valid range');
            if (!(await this.ports.allocateSpecific(want, owner))) this.fail(obj, `spec.ports[${i}].nodePort`, want, 'provided port is already allocated');
            taken.push(() => this.ports.release(want));
          } else {
            const port = await this.ports.allocate(owner);
            if (!port) this.fail(obj, `spec.ports[${i}].nodePort`, '', 'range is full');
            p.nodePort = Number(port);
            taken.push(() => this.ports.release(port));
          }
          keep.add(p.nodePort);
        }
      } else {
        for (const p of s.ports ?? []) if (isRecord(p)) delete p.nodePort;
      }
      for (const n of oldHeld) if (!keep.has(n)) toRelease.push(() => this.ports.release(String(n)));
    } catch (err) {
      await rollback();
      throw err;
    }
    if (taken.length === 0 && toRelease.length === 0) return NO_RESERVATION;
    return {
      rollback,
      commit: async () => { for (const r of toRelease) await r(); },
    };
  }
}
