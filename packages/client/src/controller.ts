import { isConflict } from '@tinykube/api';
import { pino, type Logger } from 'pino';
import { realClock, type Clock } from './clock.js';
import { WorkQueue } from './workqueue.js';

/** What one reconcile asks for: `requeueAfterMs` brings the key back after that delay (a level-based recheck). */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** Metrics hooks of the worker loop; a component's own registry implements them with its metric names. */
export interface ControllerMetricsHooks {
  observe(controller: string, result: 'success' | 'error', ms: number): void;
}

export interface ControllerOptions<K = string> {
  name: string;
  /** The queue the informer handlers feed; built on `clock` when absent (see Controller.queue). */
  queue?: WorkQueue<K>;
  clock?: Clock;
  /** How many keys are reconciled at once (default 1); the queue never hands one key to two workers. */
  workers?: number;
  /** Reads the current object of `key` from the cache and makes the world match it. */
  reconcile(key: K): Promise<ReconcileResult | void>;
  log?: Logger;
  metrics?: ControllerMetricsHooks;
  /** Failures that are expected and retried without a warning (default: conflicts, i.e. a stale cache). */
  isExpected?(err: unknown): boolean;
}

/**
 * client-go's controller worker loop (sample-controller's processNextWorkItem): informer handlers only
 * enqueue keys into `queue`; `run` starts N workers that pop a key, reconcile it against the cache,
 * forget its backoff on success and requeue it rate-limited (the queue's per-item backoff) on failure.
 */
export class Controller<K = string> {
  readonly name: string;
  readonly queue: WorkQueue<K>;
  readonly workers: number;
  private readonly log: Logger;

  constructor(private readonly o: ControllerOptions<K>) {
    this.name = o.name;
    this.queue = o.queue ?? new WorkQueue<K>({ clock: o.clock ?? realClock });
    this.workers = Math.max(1, o.workers ?? 1);
    this.log = o.log ?? pino({ level: 'silent' });
  }

  /**
   * Runs the workers until `signal` aborts; then the queue is shut down and this resolves once every
   * in-flight reconcile has returned.
   */
  async run(signal: AbortSignal): Promise<void> {
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all(Array.from({ length: this.workers }, () => this.worker(signal)));
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      let key: K;
      try {
        key = await this.queue.get(signal);
      } catch {
        return; // aborted or shut down
      }
      await this.processItem(key);
    }
  }

  private async processItem(key: K): Promise<void> {
    const started = performance.now();
    try {
      const res = await this.o.reconcile(key);
      this.queue.forget(key);
      const after = res?.requeueAfterMs;
      if (after !== undefined && Number.isFinite(after)) this.queue.addAfter(key, Math.max(0, after));
      this.o.metrics?.observe(this.name, 'success', performance.now() - started);
    } catch (err) {
      if ((this.o.isExpected ?? isConflict)(err)) this.log.debug({ key, controller: this.name }, 'conflict; retrying with a fresher cache');
      else this.log.warn({ err, key, controller: this.name }, 'reconcile failed; retrying');
      this.queue.addRateLimited(key);
      this.o.metrics?.observe(this.name, 'error', performance.now() - started);
    } finally {
      this.queue.done(key);
    }
  }
}
