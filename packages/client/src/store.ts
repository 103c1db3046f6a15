import { Indexes, type IndexFunc } from './indexer.js';
import { keyOf, type ObjectLike } from './types.js';

/**
 * The read side of an informer's cache, the thing controllers hold (a "lister"). Objects returned are
 * shared with every other reader and frozen: copy before changing (structuredClone).
 */
export interface Lister<T> {
  get(key: string): T | undefined;
  getByName(namespace: string, name: string): T | undefined;
  list(): T[];
  keys(): string[];
  byIndex(indexName: string, value: string): T[];
}

/** Deep-freezes an object so that a handler that mutates a cached object fails loudly in strict mode. */
export function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj)) deepFreeze(v);
  }
  return obj;
}

/** A cache keyed "namespace/name" with secondary indexes. Not shared across processes; single-threaded by nature. */
export class Store<T extends ObjectLike = ObjectLike> implements Lister<T> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Indexes<T>();

  constructor(private readonly keyFunc: (obj: T) => string = keyOf) {}

  /** e.g. addIndexer('byNode', pod => [pod.spec.nodeName]). May be called after objects are cached. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.indexes.addIndex(name, fn, this.items.entries());
  }

  /** Inserts or replaces; returns the previous object, if any. */
  upsert(obj: T): T | undefined {
    const key = this.keyFunc(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.indexes.update(key, old, obj);
    return old;
  }

  /** Removes by the object's key; returns what was cached. */
  delete(obj: T): T | undefined {
    return this.deleteKey(this.keyFunc(obj));
  }

  deleteKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.indexes.update(key, old, undefined);
    return old;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexes.keys(indexName, value).map((k) => this.items.get(k)!);
  }

  /** Every value currently present in an index (e.g. every node that has pods). */
  indexValues(indexName: string): string[] {
    return this.indexes.values(indexName);
  }

  keyOf(obj: T): string {
    return this.keyFunc(obj);
  }
}
