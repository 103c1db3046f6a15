import { parseQuantity } from '@tinykube/api';

/** A ResourceList as read from an object (JSON numbers are accepted as quantities). */
export type ResourceMap = Readonly<Record<string, string | number>>;

/**
 * Resource amounts as plain numbers: cpu in milli-cores, everything else (memory, pods,
 * ephemeral-storage, extended resources) in whole units, rounded up like Kubernetes'
 * Quantity.MilliValue()/Value(). Plain numbers keep the filter hot path allocation-free;
 * they are exact up to 2^53 bytes, which no node reaches.
 */
export interface Resources {
  milliCpu: number;
  memory: number;
  /** Any other requested resource (ephemeral-storage, nvidia.com/gpu, ...), by name. */
  other: Map<string, number> | undefined;
}

/** The defaults kube-scheduler assumes for containers without requests, for scoring only. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * A quantity scaled by 10^scale (scale 3 = milli units), rounded up like Quantity.ScaledValue;
 * undefined when it is not a quantity. Parsing is @tinykube/api's Quantity (exact, bigint).
 */
export function quantityScaled(q: string | number, scale: 0 | 3): number | undefined {
  const parsed = parseQuantity(q);
  return parsed ? Number(parsed.scaledValue(-scale)) : undefined;
}

// Clusters use a handful of distinct quantity strings ("100m", "128Mi"): memoising them keeps
// the bigint parse off the informer path. Bounded so hostile input cannot grow it forever.
const memo = [new Map<string, number>(), new Map<string, number>()];

/** A resource list entry in the unit the scheduler uses (milli for cpu). Invalid → 0. */
export function resourceAmount(name: string, q: string | number): number {
  const scale = name === 'cpu' ? 3 : 0;
  const m = memo[scale === 3 ? 1 : 0];
  const memoKey = String(q);
  let v = m.get(memoKey);
  if (v === undefined) {
    v = quantityScaled(q, scale) ?? 0;
    if (m.size > 10_000) m.clear();
    m.set(memoKey, v);
  }
  return v;
}

export function emptyResources(): Resources {
  return { milliCpu: 0, memory: 0, other: undefined };
}

/** Reads a ResourceList into Resources (cpu, memory, rest in `other`; `pods` is skipped). */
export function toResources(list: ResourceMap | null | undefined): Resources {
  const r = emptyResources();
  if (!list) return r;
  for (const [name, q] of Object.entries(list)) {
    const v = resourceAmount(name, q);
    if (name === 'cpu') r.milliCpu = v;
    else if (name === 'memory') r.memory = v;
    else if (name !== 'pods') (r.other ??= new Map()).set(name, v);
  }
  return r;
}

export function addInto(into: Resources, r: Resources, sign = 1): void {
  into.milliCpu += sign * r.milliCpu;
  into.memory += sign * r.memory;
  if (r.other) {
    into.other ??= new Map();
    for (const [k, v] of r.other) into.other.set(k, (into.other.get(k) ?? 0) + sign * v);
  }
}

export function maxInto(into: Resources, r: Resources): void {
  into.milliCpu = Math.max(into.milliCpu, r.milliCpu);
  into.memory = Math.max(into.memory, r.memory);
  if (r.other) {
    into.other ??= new Map();
    for (const [k, v] of r.other) into.other.set(k, Math.max(into.other.get(k) ?? 0, v));
  }
}

export function cloneResources(r: Resources): Resources {
  return { milliCpu: r.milliCpu, memory: r.memory, other: r.other ? new Map(r.other) : undefined };
}

interface ContainerLike {
  resources?: { requests?: ResourceMap | null; limits?: ResourceMap | null } | null;
  restartPolicy?: string | null;
}

/**
 * A container's requests. Kubernetes' defaulting copies limits into missing requests; we do
 * the same here so a pod stored without that defaulting is accounted for identically.
 * With `nonZero`, missing cpu/memory get kube-scheduler's scoring defaults (100m, 200Mi).
 */
function containerRequests(c: ContainerLike, nonZero: boolean): Resources {
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  const merged: ResourceMap = { ...limits, ...requests };
  const r = toResources(merged);
  if (nonZero) {
    if (!('cpu' in merged)) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!('memory' in merged)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The pod's effective request, as kube-scheduler computes it: the sum of its containers and
 * of its sidecars (init containers with restartPolicy Always), at least the largest regular
 * init container plus the sidecars started before it, plus the pod overhead.
 */
export function podRequests(
  spec: { containers?: ContainerLike[] | null; initContainers?: ContainerLike[] | null; overhead?: ResourceMap | null },
  nonZero = false,
): Resources {
  const total = emptyResources();
  for (const c of spec.containers ?? []) addInto(total, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(total, r);
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      addInto(r, sidecars);
      maxInto(initMax, r);
    }
  }
  maxInto(total, initMax);
  if (spec.overhead) addInto(total, toResources(spec.overhead));
  return total;
}
