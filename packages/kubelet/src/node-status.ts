import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, freemem, release, totalmem } from 'node:os';
import type { Node, NodeCondition, Taint } from '@tinykube/api';
import { Backoff, isAlreadyExists, isNotFound, realClock, sleep, type Clock, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { canonicalJson } from '@tinykube/api';
import { kubeTime } from './status.js';

// The Node object: registration (addresses, capacity, nodeInfo, labels, taints) and the status loop
// (conditions written on change and at least every 5 minutes, as the kubelet's
// nodeStatusReportFrequency). Works before the apiserver answers: it retries with backoff.

export const nodesResource = { group: '', version: 'v1', plural: 'nodes', namespaced: false } as const;
export const KUBELET_VERSION = 'v1.32.0-tinykube';
export const MAX_PODS = 110;

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  labels: Record<string, string>;
  taints: Taint[];
  kubeletPort: number;
  runtimeVersion: string;
}

export interface SystemInfo {
  cpus: number;
  memoryBytes: number;
  ephemeralStorageBytes?: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  machineID: string;
  bootID: string;
}

function readTrim(path: string): string {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  } catch {
    return '';
  }
}

export function goArch(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export function systemInfo(rootDir: string): SystemInfo {
  const osRelease = readTrim('/etc/os-release');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  let ephemeralStorageBytes: number | undefined;
  try {
    const s = statfsSync(rootDir);
    ephemeralStorageBytes = s.blocks * s.bsize;
  } catch {
    ephemeralStorageBytes = undefined;
  }
  return {
    cpus: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes,
    osImage: pretty,
    kernelVersion: release(),
    architecture: goArch(arch()),
    machineID: readTrim('/etc/machine-id'),
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
  };
}

/** "key=value:Effect,key:Effect" → taints. */
export function parseTaints(s: string): Taint[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((t) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(t);
    if (!m) throw new Error(`invalid taint "${t}" (want key[=value]:NoSchedule|PreferNoSchedule|NoExecute)`);
    const taint: Taint = { key: m[1]!, effect: m[3] as Taint['effect'] };
    if (m[2] !== undefined && m[2] !== '') taint.value = m[2];
    return taint;
  });
}

/** "k=v,k2=v2" → labels. */
export function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`invalid label "${kv}" (want key=value)`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

const MEMORY_RESERVE = 100 * 1024 * 1024; // the kubelet's default hard eviction threshold

export function nodeLabels(id: NodeIdentity, sys: SystemInfo): Record<string, string> {
  return {
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': sys.architecture,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': sys.architecture,
    ...id.labels,
  };
}

/** The status fields the kubelet owns, except conditions. */
export function nodeStatusFields(id: NodeIdentity, sys: SystemInfo): NonNullable<Node['status']> {
  const capacity: Record<string, string> = { cpu: String(sys.cpus), memory: `${Math.floor(sys.memoryBytes / 1024)}Ki`, pods: String(MAX_PODS) };
  if (sys.ephemeralStorageBytes !== undefined) capacity['ephemeral-storage'] = `${Math.floor(sys.ephemeralStorageBytes / 1024)}Ki`;
  const allocatable = { ...capacity, memory: `${Math.floor(Math.max(0, sys.memoryBytes - MEMORY_RESERVE) / 1024)}Ki` };
  return {
    addresses: [{ type: 'InternalIP', address: id.nodeIP }, { type: 'Hostname', address: id.nodeName }],
    capacity,
    allocatable,
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: sys.machineID,
      systemUUID: sys.machineID,
      bootID: sys.bootID,
      kernelVersion: sys.kernelVersion,
      osImage: sys.osImage,
      containerRuntimeVersion: id.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: sys.architecture,
    },
  };
}

export interface Pressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

export function measurePressure(rootDir: string): Pressure {
  let disk = false;
  try {
    const s = statfsSync(rootDir);
    disk = s.blocks > 0 && s.bavail / s.blocks < 0.1;
  } catch {
    disk = false;
  }
  return { memory: freemem() < MEMORY_RESERVE, disk, pid: false };
}

/** The four conditions; transition times carry over from `previous` while a status holds. */
export function nodeConditions(p: Pressure, previous: NodeCondition[] | undefined, now: number): NodeCondition[] {
  const cond = (type: string, on: boolean, reasonOn: string, msgOn: string, reasonOff: string, msgOff: string): NodeCondition => {
    const status = on ? 'True' : 'False';
    const prev = previous?.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: kubeTime(now),
      lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : kubeTime(now),
      reason: on ? reasonOn : reasonOff,
      message: on ? msgOn : msgOff,
    };
  };
  return [
    cond('MemoryPressure', p.memory, 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', p.disk, 'KubeletHasDiskPressure', 'kubelet has disk pressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', p.pid, 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', true, 'KubeletReady', 'kubelet is posting ready status', 'KubeletNotReady', 'kubelet is not ready'),
  ];
}

/** The Node the kubelet registers. */
export function buildNode(id: NodeIdentity, sys: SystemInfo, now: number): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.nodeName, labels: nodeLabels(id, sys), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: {},
    status: { ...nodeStatusFields(id, sys), conditions: nodeConditions({ memory: false, disk: false, pid: false }, undefined, now) },
  };
  if (id.taints.length > 0) node.spec.taints = id.taints;
  return node;
}

export interface NodeStatusOptions {
  client: RestClient;
  identity: NodeIdentity;
  rootDir: string;
  log: Logger;
  clock?: Clock;
  /** --node-status-update-frequency (default 10 s). */
  updateFrequencyMs?: number;
  /** Unchanged status is still written this often (default 5 min). */
  reportFrequencyMs?: number;
  /** The node's spec.podCIDR and uid as they become known. */
  onNode?(node: Node): void;
}

/** Registers the Node and keeps its status current. */
export class NodeStatusReporter {
  registered = false;
  private lastReported = '';
  private lastReportAt = 0;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly sys: SystemInfo;

  constructor(private readonly o: NodeStatusOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log.child({ component: 'node-status' });
    this.sys = systemInfo(o.rootDir);
  }

  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 500, maxMs: 7_000 });
    while (!signal.aborted) {
      try {
        if (!this.registered) await this.register();
        await this.updateStatus();
        backoff.reset();
        await sleep(this.clock, this.o.updateFrequencyMs ?? 10_000, signal);
      } catch (err) {
        if (signal.aborted) return;
        const delayMs = backoff.next();
        this.log.warn({ err, delayMs }, this.registered ? 'node status update failed; retrying' : 'node registration failed; retrying');
        await sleep(this.clock, delayMs, signal).catch(() => undefined);
      }
    }
  }

  /** Creates the Node, or adopts an existing one of the same name (updating our labels on it). */
  async register(): Promise<Node> {
    const want = buildNode(this.o.identity, this.sys, this.clock.now());
    let node: Node;
    try {
      node = await this.o.client.create<Node>(nodesResource, want);
      this.log.info({ node: this.o.identity.nodeName }, 'node registered');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.o.client.patch<Node>(nodesResource, this.o.identity.nodeName, { metadata: { labels: want.metadata.labels } }, 'merge');
      this.log.info({ node: this.o.identity.nodeName }, 'node already registered; updated its labels');
    }
    this.registered = true;
    this.lastReported = '';
    this.o.onNode?.(node);
    return node;
  }

  /** Writes the status when it changed, or when the last write is older than the report frequency. */
  async updateStatus(): Promise<boolean> {
    let node: Node;
    try {
      node = await this.o.client.get<Node>(nodesResource, this.o.identity.nodeName);
    } catch (err) {
      if (isNotFound(err)) {
        this.log.warn({}, 'node object was deleted; registering again');
        this.registered = false;
        await this.register();
        node = await this.o.client.get<Node>(nodesResource, this.o.identity.nodeName);
      } else throw err;
    }
    this.o.onNode?.(node);
    const now = this.clock.now();
    const fields = nodeStatusFields(this.o.identity, this.sys);
    const conditions = nodeConditions(measurePressure(this.o.rootDir), node.status?.conditions, now);
    const sig = canonicalJson({ fields, c: conditions.map((c) => [c.type, c.status, c.reason]) });
    const stale = now - this.lastReportAt >= (this.o.reportFrequencyMs ?? 300_000);
    const theirs = node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True';
    if (sig === this.lastReported && !stale && !theirs) return false;
    await this.o.client.patch(nodesResource, this.o.identity.nodeName, { status: { ...fields, conditions } }, 'merge', { subresource: 'status' });
    this.lastReported = sig;
    this.lastReportAt = now;
    this.log.debug({}, 'node status written');
    return true;
  }
}
