// Conformance cases: error classes (HTTP status + gRPC code + etcd's text) for bad requests, and status.
import { expect, it } from 'vitest';
import type { CaseContext } from './context.js';
import { exempt } from './exceptions.js';
import { H } from './normalize.js';
import { b64, post, type JsonObject } from './wire.js';

const KEY_NOT_PROVIDED = { error: 'etcdserver: key is not provided', message: 'etcdserver: key is not provided', code: 3 };
const TOO_LARGE = { error: 'etcdserver: request is too large', message: 'etcdserver: request is too large', code: 3 };

export function errorCases(c: CaseContext): void {
  /** etcd's error body: {"error","message","code"} with the same text twice. */
  const etcdError = (message: string, code: number) => ({ error: message, message, code });

  async function expectError(path: string, body: string | JsonObject, status: number, code: number, message: string) {
    const r = await post(c.url(), path, body);
    expect({ status: r.status, body: r.body }, `${path} ${typeof body === 'string' ? body : JSON.stringify(body)}`).toEqual({
      status, body: etcdError(message, code),
    });
  }

  // etcd answers malformed bodies with Go's own parser messages; the store reproduces them, so they are compared.
  it('errors: malformed JSON body', async () => {
    await expectError('/v3/kv/range', '{bad', 400, 3, "invalid character 'b' looking for beginning of object key string");
    await expectError('/v3/kv/put', '{"key":"YQ==",', 400, 3, 'unexpected EOF');
    await expectError('/v3/kv/range', '[]', 400, 3, 'json: cannot unmarshal array into Go value of type map[string]json.RawMessage');
  });

  it('errors: bad base64 in key', async () => {
    await expectError('/v3/kv/range', { key: '!!!' }, 400, 3, 'illegal base64 data at input byte 0');
    await expectError('/v3/kv/put', { key: b64('k'), value: '%%%' }, 400, 3, 'illegal base64 data at input byte 0');
  });

  it('errors: wrong JSON field types', async () => {
    await expectError('/v3/kv/range', { key: b64('a'), limit: true }, 400, 3, 'json: cannot unmarshal bool into Go value of type int64');
    await expectError('/v3/kv/range', { key: 123 }, 400, 3, 'json: cannot unmarshal number into Go value of type []uint8');
    await expectError('/v3/kv/range', { key: b64('a'), limit: 'abc' }, 400, 3, "invalid character 'a' looking for beginning of value");
  });

  it('errors: empty or missing key', async () => {
    expect(await c.call('/v3/kv/put', { key: '', value: b64('v') })).toEqual({ status: 400, body: KEY_NOT_PROVIDED });
    expect(await c.call('/v3/kv/range', {})).toEqual({ status: 400, body: KEY_NOT_PROVIDED });
    expect(await c.call('/v3/kv/deleterange', { key: '' })).toEqual({ status: 400, body: KEY_NOT_PROVIDED });
    expect(await c.call('/v3/kv/range', '')).toEqual({ status: 400, body: KEY_NOT_PROVIDED });
  });

  it('errors: oversize value (over the 1.5 MiB request limit) is refused and the server keeps serving', async () => {
    const big = Buffer.alloc(1536 * 1024, 'x');
    expect(await c.call('/v3/kv/put', { key: b64('/big/a'), value: big.toString('base64') })).toEqual({ status: 400, body: TOO_LARGE });
    const justUnder = Buffer.alloc(1500 * 1024, 'y');
    expect(await c.call('/v3/kv/put', { key: b64('/big/a'), value: justUnder.toString('base64') })).toEqual({ status: 200, body: { header: H(1) } });
    const r = await c.call('/v3/kv/range', { key: b64('/big/a'), count_only: true });
    expect(r).toEqual({ status: 200, body: { header: H(1), count: '1' } });
  });

  it('errors: unknown path', async () => {
    for (const path of ['/v3/kv/nope', '/v3/nope']) {
      const r = await post(c.url(), path, {});
      expect({ status: r.status, text: r.text }, path).toEqual({ status: 404, text: 'Not Found\n' });
    }
    exempt('errors: unknown path', 'response body outside /v3/');
    expect((await post(c.url(), '/nope', {})).status).toBe(404);
  });

  it('errors: GET on a POST-only endpoint is 405', async () => {
    const r = await post(c.url(), '/v3/kv/range', {}, { method: 'GET' });
    expect({ status: r.status, text: r.text }).toEqual({ status: 405, text: 'Method Not Allowed\n' });
  });

  it('maintenance: status reports a 3.4 version and the current revision', async () => {
    await c.call('/v3/kv/put', { key: b64('/st/a'), value: b64('v') });
    const r = await c.call('/v3/maintenance/status', {});
    expect(r.status).toBe(200);
    const s = r.body as JsonObject;
    expect(s.header).toEqual(H(1));
    expect(s.version).toMatch(/^3\.4\.\d+/);
    for (const f of ['dbSize', 'leader', 'raftIndex', 'raftTerm']) expect(s[f], f).toMatch(/^\d+$/);
  });
}
