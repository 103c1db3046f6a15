import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isNotFound } from '@tinykube/api';
import type { Clock } from '@tinykube/client';
import type { SchedulerApi } from './api.js';
import { SchedulerCache } from './cache.js';
import { fitErrorMessage, scheduledMessage, unschedulableConditionPatch } from './events.js';
import { defaultFilters } from './filters/index.js';
import { Framework } from './framework.js';
import type { SchedulerMetrics } from './metrics.js';
import { parseNode, parsePod } from './informer-objects.js';
import { DEFAULT_SCHEDULER_NAME, newPodInfo, type PodInfo } from './pod-info.js';
import { AssignedPodDelete, NodeAdd, nodeChangeEvent, nodeSnapshot } from './cluster-events.js';
import { SchedulingQueue, type QueuedPod } from './queue.js';
import { BackgroundWriter } from './recorder.js';
import { defaultScores } from './scores/index.js';

export interface SchedulerOptions {
  api: SchedulerApi;
  logger: Logger;
  /** This instance's identity (the event reportingInstance). */
  identity: string;
  schedulerName?: string;
  /** 0 = kube's adaptive default. */
  percentageOfNodesToScore?: number;
  rng?: () => number;
  clock?: Clock;
  now?: () => Date;
  /** Bindings in flight at once; the loop waits when this many are outstanding. */
  bindConcurrency?: number;
  metrics?: SchedulerMetrics;
}

export type AttemptResult = 'scheduled' | 'unschedulable' | 'skipped';

/**
 * The scheduling loop. Informer handlers feed the cache (bound pods, nodes) and the queue
 * (pending pods); run() pops one pod at a time, filters and scores synchronously, assumes
 * the pod on the chosen node and binds in the background, so the next pod is scheduled
 * while the binding is still on the wire.
 */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly writer: BackgroundWriter;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly bindConcurrency: number;
  private bindsInFlight = 0;
  private bindWaiters: Array<() => void> = [];

  constructor(private readonly opts: SchedulerOptions) {
    this.log = opts.logger;
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.bindConcurrency = opts.bindConcurrency ?? 64;
    this.queue = new SchedulingQueue({ clock: opts.clock });
    this.framework = new Framework({
      filters: defaultFilters,
      scores: defaultScores(this.cache),
      percentageOfNodesToScore: opts.percentageOfNodesToScore ?? 0,
      rng: opts.rng ?? Math.random,
    });
    this.writer = new BackgroundWriter(opts.api, this.log, { reportingInstance: opts.identity, now: opts.now });
  }

  // ---- informer handlers: update state and enqueue; never schedule here ----

  onNodeAdd(obj: unknown): void {
    const node = parseNode(obj);
    if (!node) return this.log.warn({ name: nameOf(obj) }, 'ignoring malformed node');
    this.cache.setNode(node);
    this.queue.onClusterEvent(NodeAdd);
  }

  onNodeUpdate(_old: unknown, obj: unknown): void {
    const node = parseNode(obj);
    if (!node) return this.log.warn({ name: nameOf(obj) }, 'ignoring malformed node');
    const before = this.cache.getNode(node.metadata.name ?? '');
    const snapshot = before ? nodeSnapshot(before) : undefined;
    const after = this.cache.setNode(node);
    const event = snapshot ? nodeChangeEvent(snapshot, nodeSnapshot(after)) : NodeAdd;
    if (event) this.queue.onClusterEvent(event);
  }

  onNodeDelete(obj: unknown): void {
    const name = nameOf(obj);
    if (name) this.cache.removeNode(name);
  }

  onPodAdd(obj: unknown): void {
    const pod = parsePod(obj);
    if (!pod) return this.log.warn({ name: nameOf(obj) }, 'ignoring malformed pod');
    this.handlePod(newPodInfo(pod));
  }

  onPodUpdate(_old: unknown, obj: unknown): void {
    this.onPodAdd(obj);
  }

  onPodDelete(obj: unknown): void {
    const pod = parsePod(obj);
    if (!pod) return;
    const info = newPodInfo(pod);
    if (this.cache.nodeOf(info.uid) !== undefined) {
      this.cache.removePod(info.uid);
      this.queue.onClusterEvent(AssignedPodDelete);
    }
    this.dropFromQueue(info);
    this.writer.forgetPod(info.uid);
  }

  private handlePod(info: PodInfo): void {
    if (info.nodeName) {
      this.dropFromQueue(info);
      if (info.terminal) {
        // A finished pod no longer holds resources (kube's informer filters them out).
        if (this.cache.nodeOf(info.uid) !== undefined) {
          this.cache.removePod(info.uid);
          this.queue.onClusterEvent(AssignedPodDelete);
        }
      } else this.cache.addOrUpdateBoundPod(info);
      return;
    }
    if (info.schedulerName !== this.schedulerName || info.deleting) return this.dropFromQueue(info);
    // Already assumed or bound (nodeName never goes back to empty): its binding is on the
    // way or done, so an older unbound copy must not put it back in the queue.
    if (this.cache.nodeOf(info.uid) !== undefined) {
      if (this.queue.has(info.key)) this.queue.update(info);
      return;
    }
    this.queue.update(info);
  }

  private dropFromQueue(info: PodInfo): void {
    if (this.queue.has(info.key)) this.queue.delete(info.key);
  }

  // ---- the loop ----

  /** Schedules until the signal aborts, then waits for bindings in flight. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run(signal);
    this.log.info({ nodes: this.cache.nodeCount() }, 'scheduler loop started');
    let lastYield = performance.now();
    while (!signal.aborted) {
      if (this.bindsInFlight >= this.bindConcurrency) await new Promise<void>((r) => this.bindWaiters.push(r));
      const qp = await this.queue.pop(signal);
      if (!qp) break;
      try {
        this.scheduleOne(qp);
      } catch (err) {
        this.log.error({ err, pod: qp.pod.key }, 'scheduling attempt failed');
        this.queue.requeueBackoff(qp);
      }
      // pop() resolves in a microtask while pods are queued; let I/O (watch events, binding
      // responses) in regularly so the caches stay fresh.
      if (performance.now() - lastYield > 5) {
        await yieldToIo();
        lastYield = performance.now();
      }
    }
    await this.idle();
    this.log.info('scheduler loop stopped');
  }

  /** One scheduling attempt for a popped pod (synchronous; the binding continues in the background). */
  scheduleOne(qp: QueuedPod): AttemptResult {
    const pod = qp.pod;
    if (this.cache.nodeOf(pod.uid) !== undefined) {
      this.queue.done(pod);
      return 'skipped';
    }
    const t0 = performance.now();
    const result = this.framework.schedule(pod, this.cache.candidates());
    if (!result.ok) {
      const message = fitErrorMessage(result.diagnosis, pod);
      const rejectors = new Set<string>();
      for (const r of result.diagnosis.rejections.values()) rejectors.add(r.plugin);
      this.queue.requeueUnschedulable(qp, rejectors);
      this.log.info({ pod: pod.key, reason: message }, 'unable to schedule pod; waiting');
      this.writer.event(pod, 'Warning', 'FailedScheduling', message);
      this.recordUnschedulableCondition(pod, message);
      this.opts.metrics?.observeAttempt('unschedulable', (performance.now() - t0) / 1000);
      return 'unschedulable';
    }
    const nodeName = result.node.name;
    this.cache.assumePod(pod, nodeName);
    this.opts.metrics?.observeAttempt('scheduled', (performance.now() - t0) / 1000);
    this.log.debug({ pod: pod.key, node: nodeName, evaluated: result.evaluated, feasible: result.feasible }, 'pod assumed');
    this.bind(qp, nodeName);
    return 'scheduled';
  }

  private recordUnschedulableCondition(pod: PodInfo, message: string): void {
    const c = pod.scheduledCondition;
    if (c && c.status === 'False' && c.reason === 'Unschedulable' && c.message === message) return;
    const now = this.opts.now?.() ?? new Date();
    this.writer.statusPatch(pod, unschedulableConditionPatch(message, now));
  }

  private bind(qp: QueuedPod, nodeName: string): void {
    const pod = qp.pod;
    this.bindsInFlight++;
    this.opts.api
      .bind({ namespace: pod.namespace, name: pod.name, uid: pod.uid }, nodeName)
      .then(
        () => {
          this.queue.done(pod);
          this.writer.forgetPod(pod.uid);
          this.writer.event(pod, 'Normal', 'Scheduled', scheduledMessage(pod, nodeName));
        },
        (err: unknown) => {
          this.opts.metrics?.bindingErrors.inc();
          const boundElsewhere = this.cache.nodeOf(pod.uid) !== undefined && !this.cache.isAssumed(pod.uid);
          this.cache.forgetPod(pod.uid);
          // The node's resources are free again: pods waiting for them may fit now.
          this.queue.onClusterEvent(AssignedPodDelete);
          // Deleted meanwhile, or the informer already shows it bound (another scheduler won).
          if (isNotFound(err) || boundElsewhere) {
            this.queue.done(pod);
            return;
          }
          this.log.warn({ err, pod: pod.key, node: nodeName }, 'binding failed; retrying after backoff');
          this.queue.requeueBackoff(qp);
          const message = err instanceof Error ? err.message : String(err);
          this.writer.event(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${message}`);
        },
      )
      .finally(() => {
        this.bindsInFlight--;
        for (const w of this.bindWaiters.splice(0)) w();
      });
  }

  /** Resolves once no binding, event or status write is outstanding. */
  async idle(): Promise<void> {
    while (this.bindsInFlight > 0) await new Promise<void>((r) => this.bindWaiters.push(r));
    await this.writer.idle();
  }
}

function nameOf(obj: unknown): string | undefined {
  const meta = (obj as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : undefined;
}
