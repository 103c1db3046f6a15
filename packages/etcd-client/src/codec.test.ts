import { describe, expect, it } from 'vitest';
import { decodeKv, decodeRange, encodeCompare, encodePut, encodeRange, keyRange, prefixEnd } from './codec.js';

describe('prefixEnd', () => {
  it('increments the last byte', () => {
    expect(prefixEnd('/registry/pods/')).toEqual(Buffer.from('/registry/pods0'));
  });
  it('drops trailing 0xff bytes before incrementing', () => {
    expect(prefixEnd(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from([0x62]));
  });
  it('returns [0] (no upper bound) when every byte is 0xff', () => {
    expect(prefixEnd(Buffer.from([0xff]))).toEqual(Buffer.from([0]));
  });
  it('does not modify its argument', () => {
    const b = Buffer.from('ab');
    prefixEnd(b);
    expect(b.toString()).toBe('ab');
  });
});

describe('encoding', () => {
  it('encodes keys as base64 and a prefix of "" as the whole keyspace', () => {
    expect(keyRange('a', {})).toEqual({ key: 'YQ==' });
    expect(keyRange('a', { prefix: true })).toEqual({ key: 'YQ==', range_end: 'Yg==' });
    expect(keyRange('', { prefix: true })).toEqual({ key: 'AA==', range_end: 'AA==' });
  });
  it('sends int64 fields as strings and omits defaults', () => {
    expect(encodeRange('a', { limit: 5, revision: 7, countOnly: true, sortOrder: 'NONE' })).toEqual({
      key: 'YQ==', limit: '5', revision: '7', count_only: true,
    });
    expect(encodeCompare({ key: 'a', target: 'MOD', result: 'EQUAL', modRevision: 0 })).toEqual({
      key: 'YQ==', target: 'MOD', result: 'EQUAL', mod_revision: '0',
    });
  });
  it('never sends a value together with ignore_value, nor lease 0', () => {
    expect(encodePut('a', 'v', { ignoreValue: true, lease: '0' })).toEqual({ key: 'YQ==', ignore_value: true });
  });
});

describe('decoding', () => {
  it('fills omitted defaults', () => {
    expect(decodeKv({ key: 'YQ==', mod_revision: '4' })).toEqual({
      key: Buffer.from('a'), value: Buffer.alloc(0), createRevision: 0, modRevision: 4, version: 0, lease: '0',
    });
    const r = decodeRange({ header: { revision: '3' } });
    expect(r).toMatchObject({ kvs: [], count: 0, more: false, header: { revision: 3, clusterId: '0' } });
  });
  it('accepts int64 as JSON numbers too', () => {
    expect(decodeKv({ key: 'YQ==', create_revision: 2, lease: 77 }).lease).toBe('77');
  });
});
