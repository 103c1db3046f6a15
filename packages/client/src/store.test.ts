import { describe, expect, it } from 'vitest';
import { IndexerError } from './indexer.js';
import { deepFreeze, Store } from './store.js';
import type { ObjectLike } from './types.js';

type Pod = ObjectLike & { spec: { nodeName?: string } };
const pod = (ns: string, name: string, nodeName?: string, rv = '1'): Pod => ({
  metadata: { namespace: ns, name, resourceVersion: rv },
  spec: nodeName ? { nodeName } : {},
});

describe('Store', () => {
  it('keys objects namespace/name (name alone when cluster-scoped)', () => {
    const s = new Store<ObjectLike>();
    s.upsert(pod('a', 'p1'));
    s.upsert({ metadata: { name: 'node-1' } });
    expect(s.keys().sort()).toEqual(['a/p1', 'node-1']);
    expect(s.getByName('a', 'p1')?.metadata?.name).toBe('p1');
    expect(s.get('node-1')).toBeDefined();
  });

  it('maintains indexes across add, update, delete, and for objects cached before the index', () => {
    const s = new Store<Pod>();
    s.upsert(pod('a', 'early', 'n1'));
    s.addIndexer('byNode', (p) => [p.spec.nodeName]);
    s.upsert(pod('a', 'p1', 'n1'));
    s.upsert(pod('a', 'p2', 'n2'));
    s.upsert(pod('a', 'pending'));
    expect(s.byIndex('byNode', 'n1').map((p) => p.metadata?.name).sort()).toEqual(['early', 'p1']);
    s.upsert(pod('a', 'p1', 'n2', '2')); // moved
    expect(s.byIndex('byNode', 'n1').map((p) => p.metadata?.name)).toEqual(['early']);
    expect(s.byIndex('byNode', 'n2').map((p) => p.metadata?.name).sort()).toEqual(['p1', 'p2']);
    s.delete(pod('a', 'early'));
    expect(s.byIndex('byNode', 'n1')).toEqual([]);
    expect(s.indexValues('byNode')).toEqual(['n2']);
  });

  it('rejects duplicate or unknown indexes with typed errors', () => {
    const s = new Store<Pod>();
    s.addIndexer('x', () => []);
    expect(() => s.addIndexer('x', () => [])).toThrow(IndexerError);
    expect(() => s.byIndex('nope', 'v')).toThrowError(expect.objectContaining({ code: 'ERR_NO_SUCH_INDEX' }));
  });

  it('deepFreeze makes nested mutation throw', () => {
    const p = deepFreeze(pod('a', 'p', 'n1'));
    expect(() => {
      (p.spec as { nodeName?: string }).nodeName = 'other';
    }).toThrow(TypeError);
  });
});
