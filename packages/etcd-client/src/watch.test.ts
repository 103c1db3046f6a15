import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdBinary, freePort, spawnProcess, startRealEtcd, waitFor, type Proc, type RunningStore } from '@tinykube/testkit';
import { EtcdClient, EtcdError, isCompacted, type WatchBatch, type WatchEvent } from './index.js';
import { sharedEtcd } from './test-support/shared-etcd.js';

/** Pulls batches from a watch into an array in the background, so tests can waitFor what they expect. */
function collect(iter: AsyncIterable<WatchBatch>) {
  const batches: WatchBatch[] = [];
  const state: { error?: unknown; ended: boolean } = { ended: false };
  const done = (async () => {
    try {
      for await (const b of iter) batches.push(b);
    } catch (err) {
      state.error = err;
    } finally {
      state.ended = true;
    }
  })();
  const events = (): WatchEvent[] => batches.flatMap((b) => b.events);
  return { batches, events, state, done };
}

describe('watch against a shared etcd', () => {
  const shared = sharedEtcd();
  let client: EtcdClient;
  beforeAll(() => { client = shared.client(); });

  it('delivers PUT and DELETE events with prev_kv from a start revision, then ends on abort', async () => {
    const first = await client.put('/w/a', '1');
    await client.put('/w/a', '2');
    await client.delete('/w/a');
    await client.put('/w/b', '3');
    await client.put('/other', 'x');
    const ac = new AbortController();
    const w = collect(client.watch('/w/', { prefix: true, startRevision: first.header.revision, prevKv: true, signal: ac.signal }));
    await waitFor(() => w.events().length >= 4, { what: '4 events' });
    const evs = w.events();
    expect(evs.map((e) => [e.type, e.kv.key.toString(), e.kv.value.toString()])).toEqual([
      ['PUT', '/w/a', '1'], ['PUT', '/w/a', '2'], ['DELETE', '/w/a', ''], ['PUT', '/w/b', '3'],
    ]);
    expect(evs[1].prevKv?.value.toString()).toBe('1');
    expect(evs[2].prevKv?.value.toString()).toBe('2');
    expect(evs[2].kv.modRevision).toBe(first.header.revision + 2);
    ac.abort();
    await w.done;
    expect(w.state).toEqual({ ended: true });
  });

  it('watches from "now" when no start revision is given', async () => {
    const before = (await client.put('/now/k', 'old')).header.revision;
    const ac = new AbortController();
    const w = collect(client.watch('/now/k', { signal: ac.signal }));
    // The watch is created asynchronously: keep writing until one write is seen.
    await waitFor(async () => {
      await client.put('/now/k', 'new');
      return w.events().length > 0;
    }, { what: 'an event from now' });
    expect(w.events()[0].kv.modRevision).toBeGreaterThan(before);
    expect(w.events()[0].kv.value.toString()).toBe('new');
    ac.abort();
    await w.done;
  });

  it('applies NOPUT / NODELETE filters', async () => {
    const start = (await client.put('/f/a', '1')).header.revision;
    await client.delete('/f/a');
    const ac = new AbortController();
    const deletes = collect(client.watch('/f/a', { startRevision: start, filters: ['NOPUT'], signal: ac.signal }));
    await waitFor(() => deletes.events().length >= 1, { what: 'delete event' });
    expect(deletes.events().map((e) => e.type)).toEqual(['DELETE']);
    ac.abort();
    await deletes.done;
  });

  it('throws isCompacted with compactRevision when the start revision is compacted', async () => {
    const r1 = await client.put('/c/a', '1');
    const r2 = await client.put('/c/a', '2');
    await client.compact(r2.header.revision);
    const w = collect(client.watch('/c/a', { startRevision: r1.header.revision }));
    await w.done;
    expect(isCompacted(w.state.error)).toBe(true);
    expect(w.state.error).toMatchObject({ compactRevision: r2.header.revision, grpcCode: 11 });
  });

  it('closes the stream when the consumer stops iterating', async () => {
    const start = (await client.put('/brk/a', '1')).header.revision;
    const iter = client.watch('/brk/a', { startRevision: start })[Symbol.asyncIterator]();
    const first = await iter.next();
    expect(!first.done && first.value.events[0].kv.value.toString()).toBe('1');
    expect(await iter.return?.()).toEqual({ done: true, value: undefined });
    expect(await iter.next()).toEqual({ done: true, value: undefined });
  });

  it('ends open watches when the client is closed', async () => {
    const own = new EtcdClient({ endpoints: [shared.etcd().url], tls: shared.etcd().tls });
    const start = (await own.put('/close/a', '1')).header.revision;
    const w = collect(own.watch('/close/a', { startRevision: start }));
    await waitFor(() => w.events().length === 1, { what: 'first event' });
    await own.close();
    await w.done;
    expect(w.state.ended).toBe(true);
  });
});

/** A real etcd on fixed ports that can be killed and restarted on the same data dir (testkit picks new ports). */
async function restartableEtcd() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tk-etcd-rs-'));
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  let proc: Proc | undefined;
  const start = async () => {
    proc = spawnProcess(etcdBinary, [
      '--name', 'tk-rs', '--data-dir', dataDir,
      '--listen-client-urls', url, '--advertise-client-urls', url,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `tk-rs=http://127.0.0.1:${peer}`, '--log-level', 'error',
      '--experimental-watch-progress-notify-interval', '300ms',
    ]);
    const p = proc;
    await waitFor(async () => {
      if (p.child.exitCode !== null) throw new Error(`etcd exited:\n${p.output()}`);
      return (await fetch(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}' })).ok;
    }, { timeoutMs: 20_000, what: 'etcd restart' });
  };
  await start();
  return {
    url,
    start,
    kill9: () => proc!.kill9(),
    close: async () => {
      await proc?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('watch across an etcd restart', () => {
  let etcd: Awaited<ReturnType<typeof restartableEtcd>>;
  let client: EtcdClient;
  beforeAll(async () => {
    etcd = await restartableEtcd();
    client = new EtcdClient({ endpoints: [etcd.url], requestTimeoutMs: 3_000 });
  });
  afterAll(async () => {
    await client?.close();
    await etcd?.close();
  });

  it('reconnects from the last seen revision: no gaps, no duplicates', async () => {
    const start = (await client.put('/rs/k', '0')).header.revision;
    for (let i = 1; i <= 5; i++) await client.put('/rs/k', String(i));
    const ac = new AbortController();
    const w = collect(client.watch('/rs/', { prefix: true, startRevision: start, signal: ac.signal }));
    await waitFor(() => w.events().length >= 6, { what: 'events before the crash' });
    await etcd.kill9();
    await etcd.start();
    for (let i = 6; i <= 10; i++) await client.put('/rs/k', String(i));
    await waitFor(() => w.events().length >= 11, { what: 'events after the restart', timeoutMs: 20_000 });
    const values = w.events().map((e) => e.kv.value.toString());
    expect(values).toEqual(Array.from({ length: 11 }, (_, i) => String(i)));
    const revs = w.events().map((e) => e.kv.modRevision);
    expect(revs).toEqual(Array.from({ length: 11 }, (_, i) => start + i));
    expect(w.state.error).toBeUndefined();
    ac.abort();
    await w.done;
  });

  it('reports progress notifications as empty batches with progress: true', async () => {
    const rev = (await client.put('/prog/k', 'v')).header.revision;
    const ac = new AbortController();
    const w = collect(client.watch('/prog/none', { progressNotify: true, signal: ac.signal }));
    const prog = await waitFor(() => w.batches.find((b) => b.progress), { what: 'a progress notification', timeoutMs: 15_000 });
    expect(prog.events).toEqual([]);
    expect(prog.header.revision).toBeGreaterThanOrEqual(rev);
    ac.abort();
    await w.done;
  });
});

describe('watch against a scripted server', () => {
  let server: Server;
  let url: string;
  /** Answers for successive /v3/watch requests: [status, body]. */
  let script: [number, string][] = [];
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, body] = script[Math.min(requests++, script.length - 1)];
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const line = (result: object) => `${JSON.stringify({ result })}\n`;
  const header = (revision: number) => ({ cluster_id: '1', member_id: '2', revision: String(revision), raft_term: '3' });
  const kv = (rev: number) => ({ key: Buffer.from('k').toString('base64'), create_revision: '1', mod_revision: String(rev), version: '1' });

  it('ends with the EtcdError when the server rejects the watch (no reconnect loop)', async () => {
    requests = 0;
    script = [[500, JSON.stringify({ error: 'illegal base64 data at input byte 0', message: 'illegal base64 data at input byte 0', code: 2 })]];
    const client = new EtcdClient({ endpoints: [url] });
    const w = collect(client.watch('k'));
    await w.done;
    await client.close();
    expect(w.state.error).toBeInstanceOf(EtcdError);
    expect(w.state.error).toMatchObject({ httpStatus: 500, grpcCode: 2 });
    expect(requests).toBe(1);
  });

  it('reconnects after 503 and after a stream the server ended, resuming from the next revision', async () => {
    requests = 0;
    script = [
      [503, JSON.stringify({ error: 'etcdserver: no leader', message: 'etcdserver: no leader', code: 14 })],
      [200, line({ header: header(5), created: true }) + line({ header: header(5), events: [{ kv: kv(5) }] })],
      [200, line({ header: header(6), created: true }) + line({ header: header(6), events: [{ kv: kv(6) }] })],
      [200, line({ header: header(6), created: true })],
    ];
    const seen: string[] = [];
    server.on('request', (req) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => seen.push(body));
    });
    const client = new EtcdClient({ endpoints: [url] });
    const ac = new AbortController();
    const w = collect(client.watch('k', { startRevision: 5, signal: ac.signal }));
    await waitFor(() => w.events().length === 2 && requests >= 4, { what: 'two events over three connections' });
    ac.abort();
    await w.done;
    await client.close();
    server.removeAllListeners('request');
    expect(w.events().map((e) => e.kv.modRevision)).toEqual([5, 6]);
    const starts = seen.map((b) => (JSON.parse(b) as { create_request: { start_revision?: string } }).create_request.start_revision);
    expect(starts.slice(0, 4)).toEqual(['5', '5', '6', '7']);
  });
});
