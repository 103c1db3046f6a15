/**
 * Secondary indexes over a keyed cache (client-go's Indexers): each index function maps an object to
 * zero or more index values, and the index maps each value to the set of keys having it.
 */

/** Returns the index values of an object; undefined/null/'' values are ignored (e.g. an unscheduled pod's nodeName). */
export type IndexFunc<T> = (obj: T) => readonly (string | undefined | null)[];

export class IndexerError extends Error {
  override readonly name = 'IndexerError';
  constructor(readonly code: 'ERR_INDEX_EXISTS' | 'ERR_NO_SUCH_INDEX', message: string) {
    super(message);
  }
}

export class Indexes<T> {
  private readonly funcs = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  /** Adds an index and fills it from the objects already cached. */
  addIndex(name: string, fn: IndexFunc<T>, existing: Iterable<[string, T]>): void {
    if (this.funcs.has(name)) throw new IndexerError('ERR_INDEX_EXISTS', `index ${name} already exists`);
    this.funcs.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of existing) this.insert(name, fn, key, obj);
  }

  has(name: string): boolean {
    return this.funcs.has(name);
  }

  /** Keeps every index in step with a cache change: old value out, new value in. */
  update(key: string, oldObj: T | undefined, newObj: T | undefined): void {
    for (const [name, fn] of this.funcs) {
      if (oldObj !== undefined) this.remove(name, fn, key, oldObj);
      if (newObj !== undefined) this.insert(name, fn, key, newObj);
    }
  }

  /** The keys whose objects have `value` under index `name`. */
  keys(name: string, value: string): string[] {
    const index = this.indices.get(name);
    if (!index) throw new IndexerError('ERR_NO_SUCH_INDEX', `index ${name} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** Every value present in index `name`. */
  values(name: string): string[] {
    const index = this.indices.get(name);
    if (!index) throw new IndexerError('ERR_NO_SUCH_INDEX', `index ${name} does not exist`);
    return [...index.keys()];
  }

  clear(): void {
    for (const index of this.indices.values()) index.clear();
  }

  private valuesOf(fn: IndexFunc<T>, obj: T): Set<string> {
    const out = new Set<string>();
    for (const v of fn(obj)) if (v) out.add(v);
    return out;
  }

  private insert(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const v of this.valuesOf(fn, obj)) {
      let set = index.get(v);
      if (!set) index.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private remove(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const v of this.valuesOf(fn, obj)) {
      const set = index.get(v);
      if (!set) continue;
      set.delete(key);
      if (set.size === 0) index.delete(v);
    }
  }
}
