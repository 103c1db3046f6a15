import type { Logger } from 'pino';
import { isNotFound } from '@tinykube/api';
import type { Event } from '@tinykube/api';
import type { Actions, EventRecorder, Now } from '../core/ports.js';

type Involved = Parameters<EventRecorder['event']>[0];

/**
 * client-go's event recorder + correlator, reduced: writes core/v1 Events and, when the same
 * (object, type, reason, message) repeats, bumps `count` and `lastTimestamp` on the existing Event
 * instead of creating another. Writes are asynchronous and never fail the caller; `flush()` waits
 * for them (tests, shutdown).
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string; count: number }>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(
    private readonly actions: Actions,
    private readonly component: string,
    private readonly now: Now,
    private readonly log: Logger,
    private readonly host = '',
    private readonly maxRemembered = 4096,
  ) {}

  event(obj: Involved, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.chain = this.chain.then(() => this.write(obj, type, reason, message)).catch((err: unknown) => {
      this.log.warn({ err, reason, object: obj.metadata.name }, 'could not write event');
    });
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private async write(obj: Involved, type: string, reason: string, message: string): Promise<void> {
    const key = [obj.metadata.uid ?? `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`, type, reason, message].join('\u0000');
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prev = this.seen.get(key);
    if (prev) {
      try {
        prev.count++;
        await this.actions.patch('events', prev.namespace, prev.name, 'merge', { count: prev.count, lastTimestamp: ts });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err; // it expired: start a new one
        this.seen.delete(key);
      }
    }
    // Events about cluster-scoped objects (nodes) live in "default", as in Kubernetes.
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name}.${(this.now() * 1_000_000 + (this.seq++ % 1_000_000)).toString(16)}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind, apiVersion: obj.apiVersion, name: obj.metadata.name, namespace: obj.metadata.namespace,
        uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion,
      },
      reason, message, type, count: 1, firstTimestamp: ts, lastTimestamp: ts,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    await this.actions.create('events', namespace, ev);
    if (this.seen.size >= this.maxRemembered) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { namespace, name, count: 1 });
  }
}
