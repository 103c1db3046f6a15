import type { ApiError } from '@tinykube/api';
import type { KubeObject } from '@tinykube/api';
import type { Actions, CollectionTarget, DeleteOptions, EventRecorder, Lister, PatchType } from './ports.js';
import type { ResourceName, ResourceTypes } from './resources.js';

/**
 * In-memory fakes of the controller ports, for unit tests (client-go's fake clientset + FakeRecorder).
 * They live in src/ so every controller's tests share them; nothing in production imports them.
 */

function deepFreeze(o: unknown): void {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
}

export class FakeLister implements Lister {
  private readonly objects = new Map<string, KubeObject>();

  constructor(initial: Partial<{ [R in ResourceName]: ResourceTypes[R][] }> = {}) {
    for (const [r, objs] of Object.entries(initial)) for (const o of objs as KubeObject[]) this.put(r as ResourceName, o);
  }

  private static id(r: string, ns: string, name: string): string {
    return `${r}|${ns}|${name}`;
  }

  /** Stores the object frozen, as informer caches are, so a sync that mutates a cached object throws. */
  put<R extends ResourceName>(r: R, obj: ResourceTypes[R] | KubeObject): void {
    deepFreeze(obj);
    this.objects.set(FakeLister.id(r, obj.metadata.namespace ?? '', obj.metadata.name ?? ''), obj);
  }

  remove(r: ResourceName, ns: string, name: string): void {
    this.objects.delete(FakeLister.id(r, ns, name));
  }

  list<R extends ResourceName>(r: R, namespace?: string): ResourceTypes[R][] {
    const out: ResourceTypes[R][] = [];
    for (const [id, o] of this.objects) {
      const [res, ns] = id.split('|');
      if (res === r && (namespace === undefined || namespace === ns)) out.push(o as ResourceTypes[R]);
    }
    return out;
  }

  get<R extends ResourceName>(r: R, namespace: string, name: string): ResourceTypes[R] | undefined {
    return this.objects.get(FakeLister.id(r, namespace, name)) as ResourceTypes[R] | undefined;
  }
}

export interface Action {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  resource: string;
  namespace: string;
  name: string;
  subresource?: string;
  object?: KubeObject;
  patch?: unknown;
  opts?: DeleteOptions;
}

/**
 * Records every call. With `apply`, writes also land in that FakeLister, so a test can run several
 * syncs in a row as if the informers had caught up.
 */
export class FakeActions implements Actions {
  readonly actions: Action[] = [];
  private seq = 0;
  /** Make every call of "verb resource" fail with this error until the entry is removed. */
  readonly failures = new Map<string, ApiError>();
  /** Objects answered by live GETs (defaults to the `apply` lister). */
  live?: FakeLister;
  /** Names answered by live LISTs, by plural. */
  readonly liveNames = new Map<string, string[]>();
  /** What a create of this resource answers (reviews: the request with its status), instead of storing it. */
  readonly responders = new Map<string, (obj: KubeObject) => KubeObject>();

  constructor(private readonly apply?: FakeLister) {
    this.live = apply;
  }

  /** One line per action: "create pods ns/name", "update replicasets ns/name/status", ... */
  summary(): string[] {
    return this.actions.filter((a) => a.verb !== 'get' && a.verb !== 'list').map((a) => {
      const where = [a.namespace, a.name].filter(Boolean).join('/');
      return `${a.verb} ${a.resource} ${where}${a.subresource ? `/${a.subresource}` : ''}`;
    });
  }

  of(verb: Action['verb'], resource?: string): Action[] {
    return this.actions.filter((a) => a.verb === verb && (resource === undefined || a.resource === resource));
  }

  private fail(verb: string, resource: string): void {
    const err = this.failures.get(`${verb} ${resource}`);
    if (err) throw err;
  }

  async get<R extends ResourceName>(r: R, namespace: string, name: string): Promise<ResourceTypes[R] | undefined> {
    this.actions.push({ verb: 'get', resource: r, namespace, name });
    this.fail('get', r);
    return this.live?.get(r, namespace, name);
  }

  async listNames(target: CollectionTarget, namespace: string): Promise<string[]> {
    this.actions.push({ verb: 'list', resource: target.plural, namespace, name: '' });
    this.fail('list', target.plural);
    return this.liveNames.get(target.plural) ?? [];
  }

  async create<R extends ResourceName>(r: R, namespace: string, obj: ResourceTypes[R]): Promise<ResourceTypes[R]> {
    const n = ++this.seq;
    const name = obj.metadata.name ?? `${obj.metadata.generateName ?? ''}${n.toString(36).padStart(5, '0')}`;
    this.actions.push({ verb: 'create', resource: r, namespace, name: obj.metadata.name ?? '', object: obj });
    this.fail('create', r);
    const respond = this.responders.get(r);
    if (respond) return respond(obj) as ResourceTypes[R];
    const created = { ...obj, metadata: { ...obj.metadata, name, namespace: namespace || undefined, uid: `uid-${name}`, resourceVersion: String(n) } };
    this.apply?.put(r, created);
    return created as ResourceTypes[R];
  }

  async update<R extends ResourceName>(r: R, obj: ResourceTypes[R], subresource?: 'status' | 'finalize' | 'approval'): Promise<ResourceTypes[R]> {
    this.actions.push({ verb: 'update', resource: r, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', subresource, object: obj });
    this.fail('update', r);
    const updated = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.seq) } } as ResourceTypes[R];
    this.apply?.put(r, updated);
    return updated;
  }

  async patch<R extends ResourceName>(r: R, namespace: string, name: string, _type: PatchType, patch: unknown): Promise<ResourceTypes[R]> {
    this.actions.push({ verb: 'patch', resource: r, namespace, name, patch });
    this.fail('patch', r);
    const cur = this.apply?.get(r, namespace, name);
    return (cur ?? { apiVersion: 'v1', kind: 'Unknown', metadata: { name, namespace } }) as ResourceTypes[R];
  }

  async delete(r: ResourceName, namespace: string, name: string, opts?: DeleteOptions): Promise<void> {
    this.actions.push({ verb: 'delete', resource: r, namespace, name, opts });
    this.fail('delete', r);
    this.apply?.remove(r, namespace, name);
  }

  async deleteCollection(target: CollectionTarget, namespace: string): Promise<void> {
    this.actions.push({ verb: 'deletecollection', resource: target.plural, namespace, name: '' });
    this.fail('deletecollection', target.plural);
  }
}

/** Collects events as "Type Reason Message" strings, like client-go's FakeRecorder. */
export class FakeRecorder implements EventRecorder {
  readonly events: string[] = [];
  event(_obj: unknown, type: string, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }
}

/** A clock for tests: `now()` returns `t`, which the test moves by hand. */
export class TestClock {
  constructor(public t = Date.parse('2026-01-01T00:00:00Z')) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
  iso(offsetMs = 0): string {
    return new Date(this.t + offsetMs).toISOString();
  }
}
