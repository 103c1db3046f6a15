import fs from 'node:fs';
import { waitFor } from '@tinykube/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './index.js';
import { b64, tmpDir } from './testutil.js';

let srv: RunningStore;
let dir: string;

beforeAll(async () => {
  dir = tmpDir();
  srv = await startStore({ dataDir: dir, maxRequestBytes: 1024, leaseCheckIntervalMs: 0, walSegmentBytes: 1 << 20 });
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: string | object): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${srv.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (404/405 bodies)
  }
  return { status: res.status, json, text };
}

describe('HTTP gateway', () => {
  it('answers status with the header on every response', async () => {
    const r = await post('/v3/maintenance/status', {});
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ version: '3.4.23', raftTerm: '2', header: { revision: '1', raft_term: '2' } });
  });

  it('puts and ranges with etcd encoding (base64, int64 strings, defaults omitted)', async () => {
    expect((await post('/v3/kv/put', { key: b64('a'), value: b64('1') })).json).toMatchObject({ header: { revision: '2' } });
    const r = await post('/v3/kv/range', { key: b64('a') });
    expect(r.text).toContain('"kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1","value":"MQ=="}],"count":"1"}');
    expect((await post('/v3/kv/range', { key: b64('zz') })).json).not.toHaveProperty('kvs');
  });

  it.each([
    ['/v3/kv/put', '{bad', 400, 3, "invalid character 'b' looking for beginning of object key string"],
    ['/v3/kv/put', '{"key":"!!"}', 400, 3, 'illegal base64 data at input byte 0'],
    ['/v3/kv/put', '{"key":"YQ==","lease":true}', 400, 3, 'json: cannot unmarshal bool into Go value of type int64'],
    ['/v3/kv/put', '{}', 400, 3, 'etcdserver: key is not provided'],
    ['/v3/kv/put', '{"key":"YQ==","lease":"5"}', 404, 5, 'etcdserver: requested lease not found'],
    ['/v3/kv/range', '{"key":"YQ==","revision":"99"}', 400, 11, 'etcdserver: mvcc: required revision is a future revision'],
    ['/v3/lease/keepalive', '{bad', 500, 2, "invalid character 'b' looking for beginning of object key string"],
  ])('%s %s → %i code %i', async (path, body, status, code, message) => {
    const r = await post(path, body);
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ error: message, message, code });
    // and the server keeps serving
    expect((await post('/v3/maintenance/status', {})).status).toBe(200);
  });

  it('answers unknown paths 404 and wrong methods 405 as plain text', async () => {
    const r = await post('/v3/kv/nothing', {});
    expect([r.status, r.text]).toEqual([404, 'Not Found\n']);
    const outside = await post('/nothing', {});
    expect([outside.status, outside.text]).toEqual([404, '404 page not found\n']);
    expect((await post('/v3beta/maintenance/status', {})).status).toBe(200);
    const g = await fetch(`${srv.url}/v3/kv/range`);
    expect([g.status, await g.text()]).toEqual([405, 'Method Not Allowed\n']);
  });

  it('rejects requests over --max-request-bytes as etcd does', async () => {
    const big = await post('/v3/kv/put', { key: b64('big'), value: Buffer.alloc(2000).toString('base64') });
    expect(big.status).toBe(400);
    expect(big.json.error).toBe('etcdserver: request is too large');
    const huge = await post('/v3/kv/put', { key: b64('big'), value: Buffer.alloc(600 * 1024).toString('base64') });
    expect(huge.status).toBe(429);
    expect(huge.json.error).toMatch(/^grpc: received message larger than max \(\d+ vs\. 525312\)$/);
  });

  it('grants, keeps alive (one line per request) and revokes leases', async () => {
    const g = await post('/v3/lease/grant', { TTL: 30, ID: '99' });
    expect(g.json).toMatchObject({ ID: '99', TTL: '30' });
    const k = await post('/v3/lease/keepalive', { ID: '99' });
    expect(k.text.endsWith('\n')).toBe(true);
    expect(JSON.parse(k.text)).toMatchObject({ result: { ID: '99', TTL: '30' } });
    expect((await post('/v3/lease/grant', { TTL: 30, ID: '99' })).status).toBe(412);
    expect((await post('/v3/lease/revoke', { ID: '99' })).status).toBe(200);
    expect((await post('/v3/lease/timetolive', { ID: '99' })).json).toMatchObject({ ID: '99', TTL: '-1' });
  });

  it('streams watch events as chunked lines and stops watching when the request closes', async () => {
    const ac = new AbortController();
    const res = await fetch(`${srv.url}/v3/watch`, {
      method: 'POST',
      body: JSON.stringify({ create_request: { key: b64('w/'), range_end: b64('w0') } }),
      signal: ac.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const lines: string[] = [];
    let buf = '';
    const nextLine = async (): Promise<Record<string, unknown>> => {
      while (lines.length === 0) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buf += Buffer.from(value).toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        lines.push(...parts.filter(Boolean));
      }
      return (JSON.parse(lines.shift() as string) as { result: Record<string, unknown> }).result;
    };
    expect(await nextLine()).toMatchObject({ created: true });
    await post('/v3/kv/put', { key: b64('w/1'), value: b64('x') });
    const ev = await nextLine();
    expect(ev.events).toEqual([{ kv: expect.objectContaining({ key: b64('w/1') }) }]);
    expect(srv.store.hub.size).toBe(1);
    ac.abort();
    await waitFor(() => srv.store.hub.size === 0, { timeoutMs: 5000, what: 'watcher removed after the request closed' });
    expect(srv.store.hub.size).toBe(0);
  });
});
