import type { Pod, PodStatus } from '@tinykube/api';
import { isConflict, isNotFound, WorkQueue, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { canonicalJson } from '@tinykube/api';

export const podsResource = { group: '', version: 'v1', plural: 'pods', namespaced: true } as const;

/** What the status manager needs to know about a pod whose status it writes. */
export interface StatusTarget {
  uid: string;
  namespace: string;
  name: string;
  status: PodStatus | undefined;
}

export interface StatusManagerOptions {
  client: RestClient;
  log: Logger;
  /** The worker for a uid, if it still exists. */
  target(uid: string): StatusTarget | undefined;
  /** The pod as the apiserver has it (informer cache), to check the uid before writing. */
  apiPod(namespace: string, name: string): Pod | undefined;
}

/**
 * Writes pod statuses to pods/<name>/status, only when they changed, one pod at a time per key, with
 * rate-limited retries — the kubelet's status manager. Workers only enqueue their uid.
 */
export class StatusManager {
  private readonly queue = new WorkQueue<string>({ baseDelayMs: 200, maxDelayMs: 10_000 });
  private readonly written = new Map<string, string>();
  private readonly log: Logger;

  constructor(private readonly o: StatusManagerOptions) {
    this.log = o.log.child({ component: 'status-manager' });
  }

  enqueue(uid: string): void {
    this.queue.add(uid);
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }

  async run(signal: AbortSignal): Promise<void> {
    for (;;) {
      let uid: string;
      try {
        uid = await this.queue.get(signal);
      } catch {
        return;
      }
      try {
        await this.write(uid);
        this.queue.forget(uid);
      } catch (err) {
        this.log.info({ err, uid }, 'pod status write failed; retrying');
        this.queue.addRateLimited(uid);
      } finally {
        this.queue.done(uid);
      }
    }
  }

  stop(): void {
    this.queue.shutDown();
  }

  /** Writes one pod's status now if it changed; resolves when written (or not needed). */
  async write(uid: string): Promise<void> {
    const t = this.o.target(uid);
    if (!t?.status) return;
    const json = canonicalJson(t.status);
    if (this.written.get(uid) === json) return;
    const cached = this.o.apiPod(t.namespace, t.name);
    if (cached && cached.metadata?.uid !== uid) return; // a different pod of the same name now
    try {
      await this.o.client.patch(podsResource, t.name, { status: t.status }, 'merge', { namespace: t.namespace, subresource: 'status' });
      this.written.set(uid, json);
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) throw err;
      throw err;
    }
  }
}
