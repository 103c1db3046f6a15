import fs from 'node:fs';
import path from 'node:path';
import { spawnComponent, startTinyStore, waitFor } from '@tinykube/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { b64, tmpDir } from './testutil.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('tinykube-store process', () => {
  it('serves, survives a restart with its data, and exits 0 on SIGTERM', async () => {
    const dataDir = tmpDir();
    let store = await startTinyStore({ dataDir, args: ['--log-level', 'warn'] });
    cleanup.push(() => store.close());
    const put = await fetch(`${store.url}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64('p'), value: b64('persisted') }) });
    expect(put.status).toBe(200);
    await store.close({ keepData: true });
    expect(await store.proc.exited).toBe(0);
    store = await startTinyStore({ dataDir, args: ['--log-level', 'warn'] });
    const r = (await (await fetch(`${store.url}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64('p') }) })).json()) as {
      kvs: { value: string }[];
      header: { raft_term: string };
    };
    expect(Buffer.from(r.kvs[0].value, 'base64').toString()).toBe('persisted');
    expect(r.header.raft_term).toBe('3'); // one more start
  });

  it('refuses to start (exit 1, clear message) when the WAL is corrupt in the middle', async () => {
    const dataDir = tmpDir();
    const store = await startTinyStore({ dataDir, args: ['--log-level', 'warn'] });
    for (let i = 0; i < 3; i++) {
      await fetch(`${store.url}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(`k${i}`), value: b64('v') }) });
    }
    await store.close({ keepData: true });
    const file = path.join(dataDir, 'wal', `${'1'.padStart(16, '0')}.wal`);
    const buf = fs.readFileSync(file);
    buf[10] ^= 0xff;
    fs.writeFileSync(file, buf);
    const proc = spawnComponent('store', ['--data-dir', dataDir, '--listen-client-urls', 'http://127.0.0.1:0']);
    cleanup.push(async () => {
      await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('write-ahead log is corrupt; refusing to start');
    expect(proc.output()).toContain('valid records follow');
  });

  it('listens on port 0 and logs the bound address', async () => {
    const dataDir = tmpDir();
    const proc = spawnComponent('store', ['--data-dir', dataDir, '--listen-client-urls', 'http://127.0.0.1:0']);
    cleanup.push(async () => {
      await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const url = await waitFor(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(proc.output())?.[1], { timeoutMs: 20_000, what: 'bound address in the log' });
    expect(url).not.toMatch(/:0$/);
    expect((await fetch(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}' })).status).toBe(200);
  });
});
