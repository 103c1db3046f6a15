import type { Now } from './ports.js';

/**
 * client-go's ControllerExpectations: after a controller asks for N creations/deletions it waits for
 * its informer to observe them before acting on the same key again, so a stale cache never makes it
 * create (or delete) twice. Expectations expire after `ttlMs` so a lost watch event can't wedge a key.
 */
export class Expectations {
  private readonly byKey = new Map<string, { add: number; del: number; at: number; deleting: Set<string> }>();

  constructor(private readonly now: Now, private readonly ttlMs = 5 * 60_000) {}

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.at > this.ttlMs;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, at: this.now(), deleting: new Set() });
  }

  /** Deletions are tracked by pod key so a pod that vanishes twice is only counted once. */
  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { add: 0, del: podKeys.length, at: this.now(), deleting: new Set(podKeys) });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e && e.deleting.delete(podKey)) e.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
