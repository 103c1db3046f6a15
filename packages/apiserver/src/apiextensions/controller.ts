/**
 * The apiextensions controller of the apiserver (kube's naming, establishing and finalizer controllers in one
 * worker): it watches CustomResourceDefinitions in the apiserver's own watch cache (handlers only enqueue
 * names), accepts names, serves the CRD's versions (stores + watch caches, then the registry, so routes and
 * discovery see them) and marks it Established; on deletion it marks it Terminating, deletes every custom
 * object in the background, then drops its finalizer and stops serving.
 */
import {
  APIEXTENSIONS_GROUP, customResourceInfos, isNotFound, registry, type CustomResourceDefinition, type KubeObject,
} from '@tinykube/api';
import type { Logger } from 'pino';
import { formatTime } from '../util.js';
import type { ResourceStore } from '../storage/resource-store.js';
import type { Storage } from '../storage/storage.js';
import { checkNames, CLEANUP_FINALIZER, conditionTrue, setCondition } from './conditions.js';

const RETRY_MS = 1_000;

export class ApiExtensionsController {
  private readonly pending = new Set<string>();
  private wake: (() => void) | undefined;
  private stopped = false;
  /** CRD name → what is served for it (the spec it was built from). */
  private readonly served = new Map<string, { spec: string; group: string; plural: string }>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly storage: Storage, private readonly log: Logger, private readonly clock: () => Date = () => new Date()) {}

  private get crds(): ResourceStore {
    return this.storage.get(APIEXTENSIONS_GROUP, 'customresourcedefinitions')!;
  }

  /**
   * Serves the CRDs that exist (so the apiserver is ready with them), then watches and works in the
   * background. The CRD watch cache must be filled.
   */
  async start(): Promise<void> {
    const cache = this.crds.cache;
    const rev = cache.rev;
    for (const e of cache.list()) {
      const name = e.obj.metadata.name ?? '';
      // a terminating CRD's objects are deleted by the worker, not before the apiserver turns ready
      if (e.obj.metadata.deletionTimestamp) { this.enqueue(name); continue; }
      try {
        await this.reconcile(name);
      } catch (err) {
        this.log.warn({ err, crd: name }, 'reconcile of CustomResourceDefinition failed; retrying');
        this.later(name);
      }
    }
    cache.subscribe({
      deliver: (ev) => this.enqueue(ev.obj.metadata.name ?? ''),
      bookmark: () => {},
      terminate: () => {},
    }, rev);
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.wake?.();
  }

  private enqueue(name: string): void {
    if (!name || this.stopped) return;
    this.pending.add(name);
    this.wake?.();
  }

  private later(name: string): void {
    const t = setTimeout(() => { this.timers.delete(t); this.enqueue(name); }, RETRY_MS);
    t.unref();
    this.timers.add(t);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const name = this.pending.values().next().value;
      if (name === undefined) {
        await new Promise<void>((resolve) => { this.wake = resolve; });
        this.wake = undefined;
        continue;
      }
      this.pending.delete(name);
      try {
        await this.reconcile(name);
      } catch (err) {
        this.log.warn({ err, crd: name }, 'reconcile of CustomResourceDefinition failed; retrying');
        this.later(name);
      }
    }
  }

  async reconcile(name: string): Promise<void> {
    const crd = await this.crds.getOrUndefined(undefined, name) as CustomResourceDefinition | undefined;
    if (!crd) { this.unserve(name); return; }
    if (crd.metadata.deletionTimestamp) { await this.cleanup(crd); return; }
    const others = this.crds.cache.list().map((e) => e.obj as CustomResourceDefinition);
    const builtin = new Set(registry.all().filter((r) => r.group === crd.spec.group && r.storageVersion === undefined).map((r) => r.plural));
    const names = checkNames(crd, others, builtin);
    const now = formatTime(this.clock());
    if (!names.ok) {
      await this.writeStatus(name, (status) => {
        setCondition(status, { type: 'NamesAccepted', status: 'False', reason: names.reason, message: names.message }, now);
        setCondition(status, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, now);
      });
      return;
    }
    await this.serve(crd);
    const storageVersion = crd.spec.versions.find((v) => v.storage)?.name;
    await this.writeStatus(name, (status) => {
      status.acceptedNames = names.names;
      setCondition(status, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
      setCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
      const stored = (status.storedVersions ??= []);
      if (storageVersion && !stored.includes(storageVersion)) stored.push(storageVersion);
    });
  }

  /** Builds (or rebuilds, when the spec changed) the CRD's stores, then publishes it in the registry. */
  private async serve(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name!;
    const spec = JSON.stringify(crd.spec);
    if (this.served.get(name)?.spec === spec) return;
    const infos = customResourceInfos(crd);
    await this.storage.serveCustom(infos);
    registry.register(infos);
    this.served.set(name, { spec, group: crd.spec.group, plural: crd.spec.names.plural });
    this.log.info({ crd: name, versions: infos.map((i) => i.version) }, 'serving custom resource');
  }

  private unserve(name: string): void {
    const s = this.served.get(name);
    if (!s) return;
    registry.unregister(s.group, s.plural);
    this.storage.stopCustom(s.group, s.plural);
    this.served.delete(name);
    this.log.info({ crd: name }, 'stopped serving custom resource');
  }

  private async writeStatus(name: string, mutate: (status: NonNullable<CustomResourceDefinition['status']>) => void): Promise<void> {
    await this.crds.update(undefined, name, (cur) => {
      const crd = cur as CustomResourceDefinition;
      crd.status ??= {};
      mutate(crd.status);
      return crd;
    }, { dryRun: false, subresource: 'status' });
  }

  /**
   * kube's finalizer controller: Terminating, every custom object deleted (one at a time, so other requests
   * keep flowing), then the finalizer removed, which lets the CRD go. Objects held by their own finalizers
   * are waited for (the CRD is re-checked every second).
   */
  private async cleanup(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name!;
    if (!crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) { this.unserve(name); return; }
    const now = formatTime(this.clock());
    if (!conditionTrue(crd, 'Terminating')) {
      await this.writeStatus(name, (status) => {
        setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, now);
      });
    }
    // a CRD that was never served in this process (e.g. after a restart) still gets its objects deleted
    if (!this.served.has(name) && crd.spec.versions.some((v) => v.served)) await this.serve(crd);
    this.storage.setCustomTerminating(crd.spec.group, crd.spec.names.plural, true);
    const store = this.storage.get(crd.spec.group, crd.spec.names.plural);
    let remaining = 0;
    if (store) {
      for (const e of store.cache.list()) {
        const obj: KubeObject = e.obj;
        try {
          const res = await store.delete(obj.metadata.namespace, obj.metadata.name!, { dryRun: false });
          if (!res.deleted) remaining++;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    if (remaining > 0) {
      await this.writeStatus(name, (status) => {
        setCondition(status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: `could not confirm zero CustomResources remaining: ${remaining} remaining` }, now);
      });
      this.later(name);
      return;
    }
    this.unserve(name);
    await this.crds.update(undefined, name, (cur) => {
      cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      return cur;
    }, { dryRun: false });
  }
}
