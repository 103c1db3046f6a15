import { informerFor, type Informer, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import type { KubeObject } from '@tinykube/api';
import type { Lister } from '../core/ports.js';
import { RESOURCES, type ResourceName, type ResourceTypes } from '../core/resources.js';

/**
 * One informer per resource, shared by every controller (client-go's SharedInformerFactory).
 * Controllers ask for what they need while being built; start() then runs them all.
 */
export class SharedInformers {
  private readonly informers = new Map<ResourceName, Informer<KubeObject>>();
  private started?: AbortSignal;
  private readonly indexes = new Set<string>();

  constructor(private readonly client: RestClient, private readonly log: Logger) {}

  get<R extends ResourceName>(r: R): Informer<ResourceTypes[R]> {
    let inf = this.informers.get(r);
    if (!inf) {
      if (this.started) throw new Error(`informer for ${r} requested after start`);
      inf = informerFor<KubeObject>(this.client, RESOURCES[r], { logger: this.log.child({ resource: r }) });
      this.informers.set(r, inf);
      if (RESOURCES[r].namespaced) {
        inf.addIndexer('namespace', (o) => [o.metadata.namespace]);
        this.indexes.add(`${r}/namespace`);
      }
    }
    return inf as unknown as Informer<ResourceTypes[R]>;
  }

  /** Adds an index once, however many controllers ask for it. */
  index<R extends ResourceName>(r: R, name: string, fn: (obj: ResourceTypes[R]) => readonly (string | undefined)[]): void {
    const id = `${r}/${name}`;
    if (this.indexes.has(id)) return;
    this.indexes.add(id);
    this.get(r).addIndexer(name, fn);
  }

  start(signal: AbortSignal): void {
    this.started = signal;
    for (const inf of this.informers.values()) inf.start(signal);
  }

  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced()));
  }

  list<R extends ResourceName>(r: R, namespace?: string): readonly ResourceTypes[R][] {
    const inf = this.get(r);
    if (namespace === undefined || !RESOURCES[r].namespaced) return inf.list();
    return inf.byIndex('namespace', namespace);
  }

  getObject<R extends ResourceName>(r: R, namespace: string, name: string): ResourceTypes[R] | undefined {
    return this.get(r).getByName(RESOURCES[r].namespaced ? namespace : '', name);
  }
}

/** The Lister port over shared informers (namespaced informers carry a by-namespace index). */
export function listerFor(informers: SharedInformers): Lister {
  return {
    list: (r, namespace) => informers.list(r, namespace),
    get: (r, namespace, name) => informers.getObject(r, namespace, name),
  };
}
