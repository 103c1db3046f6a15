import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue.js';

describe('continue tokens', () => {
  it('round-trip key and revision in Kubernetes format', () => {
    const tok = encodeContinue(42, 'default/p1\u0000');
    expect(JSON.parse(Buffer.from(tok, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'default/p1\u0000' });
    expect(decodeContinue(tok)).toEqual({ rv: 42, start: 'default/p1\u0000' });
  });
  it.each([
    'not base64 json',
    Buffer.from('{"v":"x","rv":1,"start":"a"}').toString('base64url'),
    Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url'),
    Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"/abs"}').toString('base64url'),
    Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"../x"}').toString('base64url'),
  ])('rejects %s with 400', (tok) => {
    expect(() => decodeContinue(tok)).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));
  });
});
