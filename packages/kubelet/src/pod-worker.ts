import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Container, Pod, PodStatus, Probe, Service } from '@tinykube/api';
import { parseQuantity } from '@tinykube/api';
import type { Clock } from '@tinykube/client';
import type { Logger } from 'pino';
import { Backoffs } from './backoff.js';
import { saveCheckpoint, type ContainerCheckpoint, type PodCheckpoint } from './checkpoint.js';
import { buildEnv, ContainerConfigError, expand, type ObjectSource } from './env.js';
import { DEFAULT_PATH, ImagePullError, resolveArgv, resolveImage } from './images/catalogue.js';
import type { PodIpam } from './ipam.js';
import { logPath, podDir } from './logs.js';
import { ContainerProbes, type ProbeResult, type ProbeTarget } from './probes.js';
import type { ContainerRecord, Runtime } from './runtime/types.js';
import type { ServiceAccountTokens } from './token-manager.js';
import { canonicalJson } from '@tinykube/api';
import { computePodStatus, type ContainerFacts } from './status.js';
import { mountVolumes, prepareVolumes, rootfsDir, VolumeError } from './volumes.js';

export type PodSource = 'api' | 'file';

export interface PodWorkerDeps {
  nodeName: string;
  nodeIP: string;
  rootDir: string;
  runtime: Runtime;
  ipam: PodIpam;
  clock: Clock;
  log: Logger;
  source: ObjectSource;
  /** Service-account tokens for projected volumes (the TokenManager); absent in standalone mode. */
  tokens?: ServiceAccountTokens;
  /** Services visible to pods of a namespace (for the service link variables). */
  services(namespace: string): Service[];
  /** The pod's status changed (the status manager writes it). */
  onStatus(w: PodWorker): void;
  /** How often a pod is re-synced without any event (default 10 s). */
  resyncMs?: number;
  /** Tests inject a probe runner. */
  probe?: (p: Probe, t: ProbeTarget) => Promise<ProbeResult>;
}

/** One container of the pod: its spec and what ran of it. */
interface Slot {
  kind: 'init' | 'regular';
  spec: Container;
  restartCount: number;
  current?: ContainerRecord;
  previous?: ContainerRecord;
  waiting?: { reason: string; message?: string };
  probes?: ContainerProbes;
  /** The environment the current instance got (exec probes run with it). */
  env?: Record<string, string>;
  cwd?: string;
}

function readProcEnv(pid: number): Record<string, string> | undefined {
  try {
    const out: Record<string, string> = {};
    for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return out;
  } catch {
    return undefined;
  }
}

export function containerHash(c: Container): string {
  return createHash('sha256').update(canonicalJson(c)).digest('hex').slice(0, 16);
}

function memoryLimit(c: Container): number | undefined {
  const raw = c.resources?.limits?.memory;
  if (raw === undefined) return undefined;
  const q = parseQuantity(raw as string | number);
  return q ? Number(q.value()) : undefined;
}

/**
 * The per-pod sync loop, level-based: every event (spec change, container exit, probe result, timer)
 * just kicks a sync, which compares what should run with what runs and acts. Syncs of one pod never
 * overlap. Terminating is separate and final.
 */
export class PodWorker {
  pod: Pod;
  readonly uid: string;
  readonly source: PodSource;
  status: PodStatus | undefined;
  podIP: string | undefined;
  private startTime: number | undefined;
  private readonly init: Slot[] = [];
  private readonly containers: Slot[] = [];
  private readonly backoffs: Backoffs;
  private readonly log: Logger;
  private readonly handledExits = new Set<string>();
  private terminating: Promise<void> | undefined;
  private closed = false;
  private syncing = false;
  private dirty = false;
  private cancelTimer: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly d: PodWorkerDeps, pod: Pod, source: PodSource, cp?: PodCheckpoint) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    this.source = source;
    this.backoffs = new Backoffs(d.clock);
    this.log = d.log.child({ pod: `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name}`, uid: this.uid });
    for (const c of pod.spec.initContainers ?? []) this.init.push({ kind: 'init', spec: c, restartCount: 0 });
    for (const c of pod.spec.containers) this.containers.push({ kind: 'regular', spec: c, restartCount: 0 });
    if (cp) this.restore(cp);
  }

  get namespace(): string {
    return this.pod.metadata?.namespace ?? 'default';
  }
  get name(): string {
    return this.pod.metadata?.name ?? '';
  }

  /** The pod with the kubelet's view of its status (for /pods and mirror pods). */
  podWithStatus(): Pod {
    return { ...this.pod, status: this.status ?? this.pod.status };
  }

  isTerminating(): boolean {
    return this.terminating !== undefined;
  }

  /** A new desired spec (only image and a few fields may change on a running pod). */
  update(pod: Pod): void {
    this.pod = pod;
    const byName = new Map([...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => [c.name, c]));
    for (const s of [...this.init, ...this.containers]) s.spec = byName.get(s.spec.name) ?? s.spec;
    this.kick();
  }

  /** Schedules a sync; coalesces with one already running. */
  kick(): void {
    if (this.closed || this.terminating) return;
    this.dirty = true;
    if (this.syncing) return;
    this.syncing = true;
    void (async () => {
      try {
        while (this.dirty && !this.closed && !this.terminating) {
          this.dirty = false;
          try {
            await this.syncOnce();
          } catch (err) {
            this.log.error({ err }, 'pod sync failed');
          }
        }
      } finally {
        this.syncing = false;
        for (const w of this.idleWaiters.splice(0)) w();
      }
    })();
  }

  /** Resolves when no sync is running (tests). */
  idle(): Promise<void> {
    if (!this.syncing) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** The runtime reported an instance's end. */
  onContainerExit(rec: ContainerRecord): void {
    const slot = [...this.init, ...this.containers].find((s) => s.current?.id === rec.id);
    if (!slot) return;
    this.handleExit(slot, rec);
    this.kick();
  }

  /**
   * Stops every container (SIGTERM, grace, SIGKILL) and stops syncing for good. Resolves when all
   * have ended; the final status is computed (and reported) before it resolves.
   */
  terminate(graceSeconds: number): Promise<void> {
    if (this.terminating) return this.terminating;
    this.cancelTimer?.();
    this.terminating = (async () => {
      await this.idle();
      const running = [...this.init, ...this.containers].filter((s) => s.current?.state === 'running');
      for (const s of running) s.probes?.stop();
      this.log.info({ graceSeconds, containers: running.map((s) => s.spec.name) }, 'stopping pod');
      await Promise.all(running.map((s) => this.d.runtime.stop(s.current!, graceSeconds * 1000)));
      for (const s of [...this.init, ...this.containers]) s.waiting = undefined;
      this.recompute();
      this.checkpoint();
    })();
    return this.terminating;
  }

  /** Stops timers and probes without touching containers (kubelet shutdown). */
  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    for (const s of [...this.init, ...this.containers]) s.probes?.stop();
  }

  /** The log file of a container's current (or previous) instance, and whether it still runs. */
  logFor(container: string, previous = false): { path: string; running: () => boolean } | undefined {
    const slot = [...this.init, ...this.containers].find((s) => s.spec.name === container);
    const rec = previous ? slot?.previous : slot?.current;
    if (!rec) return undefined;
    return { path: rec.logPath, running: () => rec.state === 'running' };
  }

  /**
   * What exec needs to run a command "in" a running container: its instance, environment and folder.
   * After a kubelet restart the environment is not in the checkpoint: it is read back from the
   * container process itself (/proc/<pid>/environ), which is exactly what it was started with.
   */
  execTarget(container: string): { rec: ContainerRecord; env: Record<string, string>; cwd: string } | undefined {
    const slot = [...this.init, ...this.containers].find((s) => s.spec.name === container);
    const rec = slot?.current;
    if (!slot || !rec || rec.state !== 'running') return undefined;
    const env = slot.env ?? readProcEnv(rec.pid) ?? { PATH: DEFAULT_PATH };
    const cwd = slot.cwd ?? rootfsDir(podDir(this.d.rootDir, this.uid), container);
    return { rec, env, cwd };
  }

  /** Container names (init first), for defaulting the log container. */
  containerNames(): string[] {
    return [...this.init, ...this.containers].map((s) => s.spec.name);
  }

  /** Running container records (for orphan detection and tests). */
  records(): ContainerRecord[] {
    return [...this.init, ...this.containers].flatMap((s) => (s.current ? [s.current] : []));
  }

  // ---- sync ----

  private async syncOnce(): Promise<void> {
    const pod = this.pod;
    const now = this.d.clock.now();
    this.startTime ??= now;
    const podIP = pod.spec.hostNetwork ? this.d.nodeIP : this.d.ipam.allocate(this.uid);
    if (!podIP) {
      this.setCreating('network is not ready: the node has no podCIDR yet');
      return this.finishSync();
    }
    this.podIP = podIP;
    const dir = podDir(this.d.rootDir, this.uid);
    try {
      await prepareVolumes(pod, dir, { source: this.d.source, tokens: this.d.tokens, podIP, hostIP: this.d.nodeIP });
    } catch (err) {
      this.setCreating(`MountVolume.SetUp failed: ${(err as Error).message}`);
      if (!(err instanceof VolumeError)) this.log.warn({ err }, 'volume setup failed');
      return this.finishSync();
    }
    const policy = pod.spec.restartPolicy ?? 'Always';
    let initDone = true;
    for (const slot of this.init) {
      const cur = slot.current;
      if (cur?.state === 'exited' && cur.exitCode === 0) continue;
      initDone = false;
      if (cur?.state === 'running') break;
      if (cur?.state === 'exited' && policy === 'Never') {
        slot.waiting = undefined;
        break;
      }
      await this.startWithBackoff(slot, dir);
      break;
    }
    for (const slot of this.containers) {
      if (!initDone) {
        if (!slot.current) slot.waiting = { reason: 'PodInitializing' };
        continue;
      }
      const cur = slot.current;
      const hash = containerHash(slot.spec);
      if (cur?.state === 'running') {
        if (cur.specHash !== hash) {
          this.log.info({ container: slot.spec.name }, 'container definition changed; restarting it');
          slot.probes?.stop();
          void this.d.runtime.stop(cur, (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000);
        }
        continue;
      }
      if (!cur) {
        await this.startWithBackoff(slot, dir);
        continue;
      }
      const changed = cur.specHash !== hash;
      const restart = changed || policy === 'Always' || (policy === 'OnFailure' && cur.exitCode !== 0);
      if (!restart) {
        slot.waiting = undefined;
        continue;
      }
      if (changed) this.backoffs.forget(slot.spec.name);
      await this.startWithBackoff(slot, dir);
    }
    this.finishSync();
  }

  private finishSync(): void {
    this.recompute();
    this.checkpoint();
    this.cancelTimer?.();
    const wait = Math.min(this.backoffs.nextExpiry() ?? Infinity, this.d.resyncMs ?? 10_000);
    this.cancelTimer = this.d.clock.setTimer(() => this.kick(), wait);
  }

  private setCreating(message: string): void {
    for (const s of [...this.init, ...this.containers]) if (!s.current) s.waiting = { reason: 'ContainerCreating', message };
  }

  private async startWithBackoff(slot: Slot, dir: string): Promise<void> {
    const key = this.key(slot);
    if (slot.current && this.backoffs.inBackoff(key)) {
      const e = this.backoffs.get(key)!;
      slot.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round(e.delayMs / 1000)}s restarting failed container=${slot.spec.name} pod=${this.name}_${this.namespace}(${this.uid})`,
      };
      return;
    }
    await this.start(slot, dir);
  }

  private key(slot: Slot): string {
    return `${slot.kind}:${slot.spec.name}`;
  }

  private async start(slot: Slot, dir: string): Promise<void> {
    const c = slot.spec;
    const pullKey = `pull:${this.key(slot)}`;
    if (this.backoffs.inBackoff(pullKey)) {
      slot.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` };
      return;
    }
    let img;
    try {
      img = resolveImage({ image: c.image ?? '', command: c.command, args: c.args, rootDir: this.d.rootDir });
      this.backoffs.forget(pullKey);
    } catch (err) {
      if (!(err instanceof ImagePullError)) throw err;
      this.backoffs.recordPullFailure(pullKey);
      slot.waiting = { reason: 'ErrImagePull', message: err.message };
      this.log.info({ container: c.name, image: c.image }, 'image not found in the catalogue');
      return;
    }
    let env: Record<string, string>;
    let cwd: string;
    let rootfs: string;
    try {
      ({ rootfs, cwd } = mountVolumes(this.pod, c, dir, img.workingDir));
      env = await buildEnv({
        pod: this.pod, container: c, podIP: this.podIP ?? '', hostIP: this.d.nodeIP, nodeName: this.d.nodeName, podDir: dir, rootfs,
        imageEnv: img.env, services: this.d.services(this.namespace), source: this.d.source,
      });
    } catch (err) {
      if (err instanceof ContainerConfigError || err instanceof VolumeError) {
        slot.waiting = { reason: 'CreateContainerConfigError', message: err.message };
        return;
      }
      throw err;
    }
    const argv = resolveArgv(img.argv.map((a) => expand(a, env)), env.PATH ?? DEFAULT_PATH);
    if (argv.length === 0) {
      slot.waiting = { reason: 'RunContainerError', message: 'no command specified' };
      return;
    }
    if (slot.current) {
      slot.previous = slot.current;
      slot.restartCount++;
    }
    const rec = this.d.runtime.start({
      podUid: this.uid, name: c.name, attempt: slot.restartCount, image: c.image ?? '', imageID: img.imageID, argv, env, cwd,
      logPath: logPath(this.d.rootDir, this.uid, c.name, slot.restartCount), memoryLimitBytes: memoryLimit(c), specHash: containerHash(c),
    });
    slot.current = rec;
    slot.waiting = undefined;
    slot.env = env;
    slot.cwd = cwd;
    if (rec.state === 'running') this.startProbes(slot, rec);
    else this.handleExit(slot, rec);
    this.checkpoint();
  }

  private startProbes(slot: Slot, rec: ContainerRecord): void {
    slot.probes?.stop();
    slot.probes = undefined;
    if (this.d.runtime.kind === 'fake') return;
    const c = slot.spec;
    if (!c.livenessProbe && !c.readinessProbe && !c.startupProbe) return;
    const env = slot.env ?? { PATH: DEFAULT_PATH };
    const cwd = slot.cwd ?? rootfsDir(podDir(this.d.rootDir, this.uid), c.name);
    const probes = new ContainerProbes({
      podIP: this.podIP ?? this.d.nodeIP,
      container: c,
      exec: (argv, timeoutMs) => this.d.runtime.exec(rec, resolveArgv(argv, env.PATH ?? DEFAULT_PATH), env, cwd, timeoutMs),
      clock: this.d.clock,
      probe: this.d.probe,
      onChange: () => this.kick(),
      onFailure: (kind, message) => {
        if (slot.current !== rec || rec.state !== 'running') return;
        this.log.info({ container: c.name, kind, message }, 'probe failed; restarting container');
        probes.stop();
        void this.d.runtime.stop(rec, (this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000);
      },
    });
    slot.probes = probes;
    probes.start();
  }

  private handleExit(slot: Slot, rec: ContainerRecord): void {
    if (this.handledExits.has(rec.id)) return;
    this.handledExits.add(rec.id);
    slot.probes?.stop();
    slot.probes = undefined;
    this.backoffs.recordExit(this.key(slot), rec.startedAt, rec.finishedAt ?? this.d.clock.now());
  }

  private recompute(): void {
    const facts = (s: Slot): ContainerFacts => ({
      name: s.spec.name,
      image: s.spec.image ?? '',
      current: s.current,
      previous: s.previous,
      waiting: s.current?.state === 'running' ? undefined : s.waiting,
      restartCount: s.restartCount,
      ready: this.d.runtime.kind === 'fake' ? true : (s.probes?.ready ?? (s.spec.readinessProbe === undefined && s.spec.startupProbe === undefined)),
      started: this.d.runtime.kind === 'fake' ? true : (s.probes?.started ?? s.spec.startupProbe === undefined),
    });
    const next = computePodStatus({
      pod: this.pod, init: this.init.map(facts), containers: this.containers.map(facts), podIP: this.podIP, hostIP: this.d.nodeIP,
      startTime: this.startTime, now: this.d.clock.now(), previous: this.status ?? this.pod.status,
    });
    if (this.status && canonicalJson(next) === canonicalJson(this.status)) return;
    this.status = next;
    this.d.onStatus(this);
  }

  // ---- checkpoint ----

  private checkpoint(): void {
    const save = (slots: Slot[]): Record<string, ContainerCheckpoint> =>
      Object.fromEntries(slots.map((s) => [s.spec.name, { restartCount: s.restartCount, current: s.current, previous: s.previous, backoff: this.backoffs.get(this.key(s)) }]));
    try {
      saveCheckpoint(this.d.rootDir, {
        version: 1, uid: this.uid, source: this.source, pod: this.pod, podIP: this.podIP, startTime: this.startTime,
        containers: save(this.containers), init: save(this.init),
      });
    } catch (err) {
      this.log.warn({ err }, 'could not write the pod checkpoint');
    }
  }

  /** Re-attaches what a previous kubelet started for this pod. */
  private restore(cp: PodCheckpoint): void {
    this.podIP = cp.podIP;
    this.startTime = cp.startTime;
    const apply = (slots: Slot[], saved: Record<string, ContainerCheckpoint>): void => {
      for (const s of slots) {
        const c = saved[s.spec.name];
        if (!c) continue;
        s.restartCount = c.restartCount;
        s.previous = c.previous;
        if (c.backoff) this.backoffs.set(this.key(s), c.backoff);
        if (c.current) {
          const wasRunning = c.current.state === 'running';
          s.current = this.d.runtime.adopt(c.current);
          if (s.current.state === 'running') this.startProbes(s, s.current);
          else if (wasRunning) this.handleExit(s, s.current);
          else this.handledExits.add(s.current.id);
        }
      }
    };
    apply(this.init, cp.init);
    apply(this.containers, cp.containers);
  }
}
