import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { decodeApplyBody, decodeObjectBody, decodePatchBody, mediaType, readBody } from './body.js';
import { ApiError } from '@tinykube/api';

function req(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  const r = Readable.from(chunks) as unknown as IncomingMessage;
  (r as { headers: Record<string, string> }).headers = headers;
  return r;
}

function reasonOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (err) { return err instanceof ApiError ? `${err.code} ${err.reason}` : 'other'; }
  return undefined;
}

describe('readBody', () => {
  it('reads chunks', async () => {
    expect((await readBody(req([Buffer.from('ab'), Buffer.from('c')]))).toString()).toBe('abc');
  });
  it('answers 413 past the limit, by header or by bytes', async () => {
    await expect(readBody(req([Buffer.alloc(10)], { 'content-length': '10' }), 5)).rejects.toMatchObject({ status: { code: 413 } });
    await expect(readBody(req([Buffer.alloc(4), Buffer.alloc(4)]), 5)).rejects.toMatchObject({ status: { code: 413, reason: 'RequestEntityTooLarge' } });
  });
});

describe('decodeObjectBody', () => {
  it('decodes JSON and YAML', () => {
    expect(decodeObjectBody('application/json; charset=utf-8', Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeObjectBody(undefined, Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeObjectBody('application/yaml', Buffer.from('a: 1\nb: [x]\n'))).toEqual({ a: 1, b: ['x'] });
  });
  it('answers 400 for malformed bodies and 415 for unknown media types', () => {
    expect(reasonOf(() => decodeObjectBody('application/json', Buffer.from('{')))).toBe('400 BadRequest');
    expect(reasonOf(() => decodeObjectBody('application/json', Buffer.alloc(0)))).toBe('400 BadRequest');
    expect(reasonOf(() => decodeObjectBody('application/yaml', Buffer.from('a: [')))).toBe('400 BadRequest');
    expect(reasonOf(() => decodeObjectBody('text/plain', Buffer.from('x')))).toBe('415 UnsupportedMediaType');
    expect(reasonOf(() => decodeObjectBody('application/vnd.kubernetes.protobuf', Buffer.from('nope')))).toBe('400 BadRequest');
  });
});

describe('decodePatchBody', () => {
  it('recognises the three patch types', () => {
    expect(decodePatchBody('application/merge-patch+json', Buffer.from('{"a":1}')).type).toBe('application/merge-patch+json');
    expect(decodePatchBody('application/json-patch+json', Buffer.from('[]')).type).toBe('application/json-patch+json');
    expect(decodePatchBody('application/strategic-merge-patch+json', Buffer.from('{}')).type).toBe('application/strategic-merge-patch+json');
  });
  it('leaves apply bodies to decodeApplyBody, refuses other types with 415 and shape mismatches with 400', () => {
    expect(reasonOf(() => decodePatchBody('application/apply-patch+yaml', Buffer.from('a: 1')))).toBe('415 UnsupportedMediaType');
    expect(reasonOf(() => decodePatchBody('application/apply-patch+cbor', Buffer.from('a: 1')))).toBe('415 UnsupportedMediaType');
    expect(reasonOf(() => decodePatchBody('application/json', Buffer.from('{}')))).toBe('415 UnsupportedMediaType');
    expect(reasonOf(() => decodePatchBody('application/json-patch+json', Buffer.from('{}')))).toBe('400 BadRequest');
    expect(reasonOf(() => decodePatchBody('application/merge-patch+json', Buffer.from('[1]')))).toBe('400 BadRequest');
  });
  it('decodes apply bodies in YAML or JSON, objects only', () => {
    expect(decodeApplyBody(Buffer.from('kind: ConfigMap\ndata:\n  a: "1"\n'))).toEqual({ kind: 'ConfigMap', data: { a: '1' } });
    expect(decodeApplyBody(Buffer.from('{"kind":"ConfigMap"}'))).toEqual({ kind: 'ConfigMap' });
    expect(reasonOf(() => decodeApplyBody(Buffer.from('- 1')))).toBe('400 BadRequest');
  });
  it('mediaType strips parameters', () => {
    expect(mediaType('Application/JSON; charset=utf-8')).toBe('application/json');
  });
});
