import { describe, expect, it } from 'vitest';
import { Mvcc } from './mvcc.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const all = { rev: 0, limit: 0, countOnly: false };

function put(m: Mvcc, key: string, value: string): number {
  const t = m.write();
  t.put(b(key), b(value), 0n);
  return t.end();
}

function del(m: Mvcc, key: string, end?: string): number {
  const t = m.write();
  t.deleteRange(b(key), end === undefined ? undefined : b(end));
  return t.end();
}

describe('Mvcc', () => {
  it('numbers revisions from 2 and tracks create/mod revision and version', () => {
    const m = new Mvcc();
    expect(put(m, 'a', '1')).toBe(2);
    expect(put(m, 'a', '2')).toBe(3);
    const kv = m.get(b('a'));
    expect(kv).toMatchObject({ createRev: 2, modRev: 3, version: 2 });
    expect(kv?.value.toString()).toBe('2');
  });

  it('reads any retained revision', () => {
    const m = new Mvcc();
    put(m, 'a', '1');
    put(m, 'a', '2');
    del(m, 'a');
    expect(m.get(b('a'), 2)?.value.toString()).toBe('1');
    expect(m.get(b('a'), 3)?.value.toString()).toBe('2');
    expect(m.get(b('a'), 4)).toBeUndefined();
    expect(put(m, 'a', '3')).toBe(5);
    expect(m.get(b('a'))).toMatchObject({ createRev: 5, version: 1 }); // a new generation
  });

  it('ranges in byte order with limit, count and the "\\0" (all keys >= key) end', () => {
    const m = new Mvcc();
    for (const k of ['b', 'a', 'c', 'ab', '\xff']) put(m, k, k);
    const keys = (r: { kvs: { key: Buffer }[] }) => r.kvs.map((kv) => kv.key.toString('latin1'));
    expect(keys(m.range(b('a'), b('c'), all))).toEqual(['a', 'ab', 'b']);
    expect(keys(m.range(b('b'), Buffer.alloc(0), all))).toEqual(['b', 'c', '\xff']);
    const limited = m.range(b('a'), Buffer.alloc(0), { rev: 0, limit: 2, countOnly: false });
    expect(limited.kvs).toHaveLength(2);
    expect(limited.count).toBe(5); // etcd 3.4 counts every match
    expect(m.range(b('a'), Buffer.alloc(0), { rev: 0, limit: 0, countOnly: true }).kvs).toEqual([]);
  });

  it('refuses future and compacted revisions', () => {
    const m = new Mvcc();
    put(m, 'a', '1');
    put(m, 'a', '2');
    put(m, 'a', '3');
    expect(() => m.range(b('a'), undefined, { ...all, rev: 9 })).toThrow('future revision');
    m.compact(3);
    expect(() => m.range(b('a'), undefined, { ...all, rev: 2 })).toThrow('compacted');
    expect(m.range(b('a'), undefined, { ...all, rev: 3 }).kvs[0].value.toString()).toBe('2');
  });

  it('compaction drops old revisions and deleted keys but keeps the changes at the compacted revision', () => {
    const m = new Mvcc();
    put(m, 'a', '1'); // 2
    put(m, 'b', '1'); // 3
    del(m, 'b'); // 4
    put(m, 'a', '2'); // 5
    m.compact(5);
    expect(m.keyCount).toBe(1);
    expect([...m.histories()][0].map((kv) => kv.modRev)).toEqual([5]);
    expect(m.eventsAt(4)).toEqual([]);
    expect(m.eventsAt(5).map((kv) => kv.value.toString())).toEqual(['2']);
  });

  it('a txn writes all its changes at one revision and sees its own writes', () => {
    const m = new Mvcc();
    put(m, 'x', '0');
    const t = m.write();
    t.put(b('a'), b('1'), 0n);
    expect(t.range(b('a'), undefined, all).kvs).toHaveLength(1);
    t.deleteRange(b('x'), undefined);
    expect(t.end()).toBe(3);
    expect(m.eventsAt(3).map((kv) => [kv.key.toString(), kv.tombstone, kv.sub])).toEqual([
      ['a', false, 0],
      ['x', true, 1],
    ]);
  });

  it('deleting nothing does not create a revision', () => {
    const m = new Mvcc();
    put(m, 'a', '1');
    expect(del(m, 'zz')).toBe(2);
    expect(m.currentRev).toBe(2);
  });

  it('restores from histories and rebuilds the event log', () => {
    const m = new Mvcc();
    put(m, 'a', '1');
    put(m, 'b', '1');
    put(m, 'a', '2');
    const copy = new Mvcc();
    copy.restore({ currentRev: m.currentRev, compactRev: -1, histories: [...m.histories()].map((h) => [...h]) });
    expect(copy.get(b('a'))?.version).toBe(2);
    expect(copy.eventsAt(3)[0].key.toString()).toBe('b');
    expect(copy.range(b('a'), Buffer.alloc(0), all).count).toBe(2);
  });
});
