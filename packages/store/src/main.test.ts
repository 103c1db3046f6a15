import fs from 'node:fs';
import path from 'node:path';
import { createCa, issueCertificate } from '@tinykube/pki';
import { spawnComponent, startTinyStore, testDispatcher, testPki, waitFor } from '@tinykube/testkit';
import { Agent, fetch as undiciFetch } from 'undici';
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

  it('with etcd\'s TLS flags serves https only to clients holding a certificate of the trusted CA', async () => {
    const store = await startTinyStore({ args: ['--log-level', 'warn'] });
    cleanup.push(() => store.close());
    expect(store.url).toMatch(/^https:/);
    const body = { method: 'POST', body: '{}' } as const;
    // the run's CA, but no client certificate: refused in the TLS handshake, as etcd --client-cert-auth does
    await expect(undiciFetch(`${store.url}/v3/maintenance/status`, { ...body, dispatcher: testDispatcher() })).rejects.toThrow();
    // a certificate of another CA: refused too
    const other = await createCa('other');
    const stranger = await issueCertificate(other, { subject: { commonName: 'mallory' }, usage: 'client' });
    const strangerAgent = new Agent({ connect: { ca: testPki().caPem, cert: stranger.certPem, key: stranger.keyPem } });
    await expect(undiciFetch(`${store.url}/v3/maintenance/status`, { ...body, dispatcher: strangerAgent })).rejects.toThrow();
    const ok = await undiciFetch(`${store.url}/v3/maintenance/status`, { ...body, dispatcher: testDispatcher(testPki().apiserverEtcdClient) });
    expect(ok.status).toBe(200);
  });

  it('refuses TLS flags that do not fit together, with a reason', async () => {
    const proc = spawnComponent('store', ['--data-dir', tmpDir(), '--listen-client-urls', 'https://127.0.0.1:0']);
    cleanup.push(() => proc.stop());
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('an https:// client URL needs --cert-file and --key-file');
  });
});
