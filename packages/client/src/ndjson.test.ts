import { describe, expect, it } from 'vitest';
import { LineSplitter } from './ndjson.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks, splits several per chunk, skips blank lines', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n\n  \n{"c":3}\n')).toEqual(['{"b":2}', '{"c":3}']);
    expect(s.end()).toBeUndefined();
  });

  it('decodes a UTF-8 character cut between chunks, and gives back a last line without newline', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"n":"é"}\n{"m":1}');
    const cut = bytes.indexOf(0xa9); // inside é's two bytes
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"n":"é"}']);
    expect(s.end()).toBe('{"m":1}');
  });
});
