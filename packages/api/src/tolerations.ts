// Taints and tolerations: v1.Toleration.ToleratesTaint and the well-known taint keys that the
// node lifecycle controller, DaemonSets, the scheduler and defaulting agree on.

/** The toleration fields that matching reads (a v1.Toleration, or a precompiled copy of one). */
export interface TolerationLike {
  readonly key?: string | null;
  readonly operator?: string | null;
  readonly value?: string | null;
  readonly effect?: string | null;
}

/** The taint fields that matching reads. */
export interface TaintLike {
  readonly key: string;
  readonly value?: string | null;
  readonly effect: string;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/**
 * v1.Toleration.ToleratesTaint: an empty effect matches every effect; an empty key (valid only
 * with Exists) matches every key; Exists ignores the value; Equal, or no operator, needs the same
 * value (absent and "" are equal); any other operator tolerates nothing.
 */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const op = toleration.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** Whether any of the tolerations tolerates the taint (v1helper.TolerationsTolerateTaint). */
export function tolerationsTolerateTaint(tolerations: readonly TolerationLike[] | null | undefined, taint: TaintLike): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}
