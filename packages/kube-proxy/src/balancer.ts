import { realClock, type Clock } from '@tinykube/client';
import type { Affinity, Backend } from './endpoints.js';

// Pure: round robin over one service port's backends, with ClientIP session affinity.
// Time comes from an injected clock so affinity expiry is tested without waiting.

export interface BalancerOptions {
  affinity?: Affinity;
  /** realClock by default. */
  clock?: Clock;
}

interface StickyEntry {
  backend: string;
  lastUsed: number;
}

/** Affinity entries are swept at most this often (and at least once per timeout). */
const MAX_SWEEP_INTERVAL_MS = 60_000;

export function backendKey(b: Backend): string {
  return `${b.ip}:${b.port}`;
}

/**
 * Picks a backend per new connection, as kube-proxy's userspace LoadBalancerRR does: round robin,
 * except that with ClientIP affinity a client keeps its backend while it is still ready and the
 * client was seen within the timeout (each use extends it). One Balancer is shared by every
 * listener of a service port (ClusterIP and NodePort), so they share rotation and affinity.
 */
export class Balancer {
  private list: Backend[] = [];
  private byKey = new Map<string, Backend>();
  private next = 0;
  private affinity: Affinity;
  private readonly sticky = new Map<string, StickyEntry>();
  private nextSweepAt = 0;
  private readonly clock: Clock;

  constructor(o: BalancerOptions = {}) {
    this.affinity = o.affinity ?? { kind: 'None' };
    this.clock = o.clock ?? realClock;
  }

  size(): number {
    return this.list.length;
  }

  backends(): readonly Backend[] {
    return this.list;
  }

  /** Number of clients currently pinned (for tests and debugging). */
  stickyClients(): number {
    return this.sticky.size;
  }

  setAffinity(a: Affinity): void {
    const same = a.kind === this.affinity.kind && (a.kind === 'None' || (this.affinity.kind === 'ClientIP' && a.timeoutMs === this.affinity.timeoutMs));
    if (same) return;
    this.affinity = a;
    if (a.kind === 'None') this.sticky.clear();
    this.nextSweepAt = 0;
  }

  /**
   * Replaces the backends. Clients pinned to a backend that is gone are unpinned; the rotation
   * position is kept so an endpoint change does not send the next connections back to the first one.
   */
  setBackends(backends: readonly Backend[]): void {
    if (backends.length === this.list.length && backends.every((b, i) => backendKey(b) === backendKey(this.list[i]!))) return;
    this.list = [...backends];
    this.byKey = new Map(this.list.map((b) => [backendKey(b), b]));
    this.next = this.list.length === 0 ? 0 : this.next % this.list.length;
    for (const [client, e] of this.sticky) if (!this.byKey.has(e.backend)) this.sticky.delete(client);
  }

  /** The backend for a new connection from `clientIP`, or undefined when there is none. */
  pick(clientIP: string): Backend | undefined {
    if (this.list.length === 0) return undefined;
    if (this.affinity.kind === 'None') return this.rotate();
    const now = this.clock.now();
    const timeout = this.affinity.timeoutMs;
    if (now >= this.nextSweepAt) this.sweep(now, timeout);
    const entry = this.sticky.get(clientIP);
    if (entry && now - entry.lastUsed <= timeout) {
      const b = this.byKey.get(entry.backend);
      if (b) {
        entry.lastUsed = now;
        return b;
      }
    }
    const b = this.rotate();
    this.sticky.set(clientIP, { backend: backendKey(b), lastUsed: now });
    return b;
  }

  /** Unpins a client, e.g. after its backend refused a connection, so the next pick moves on. */
  forgetClient(clientIP: string): void {
    this.sticky.delete(clientIP);
  }

  private rotate(): Backend {
    const b = this.list[this.next % this.list.length]!;
    this.next = (this.next + 1) % this.list.length;
    return b;
  }

  private sweep(now: number, timeout: number): void {
    for (const [client, e] of this.sticky) if (now - e.lastUsed > timeout) this.sticky.delete(client);
    this.nextSweepAt = now + Math.min(timeout, MAX_SWEEP_INTERVAL_MS);
  }
}
