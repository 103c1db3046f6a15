import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeClusterFile } from './cluster-file.js';
import { checkAddressesFree, checkDataDirFree, listenerPid, PreflightError } from './preflight.js';

const hint = () => 'pass --apiserver-port PORT';

describe('npm start preflight', () => {
  let held: Server;
  let port: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'tk-preflight-'));
  beforeAll(async () => {
    held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    port = (held.address() as AddressInfo).port;
  });
  afterAll(() => { held.close(); rmSync(dir, { recursive: true, force: true }); });

  it('names the process holding a port and what to do, in one line', async () => {
    expect(listenerPid('127.0.0.1', port)).toBe(process.pid);
    const err = await checkAddressesFree([{ ip: '127.0.0.1', port, what: 'the API server' }], dir, hint).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(new RegExp(`^the API server needs 127\\.0\\.0\\.1:${port}, which is in use by pid ${process.pid} \\(.+\\): stop that process \\(another cluster\\?\\) or pass --apiserver-port PORT$`));
    expect((err as Error).message).not.toContain('\n');
  });

  it('lets a port held by the data dir\'s own processes pass (containers outlive the launcher)', async () => {
    await expect(checkAddressesFree([{ ip: '127.0.0.1', port, what: 'the API server' }], path.dirname(process.cwd()), hint)).resolves.toBeUndefined();
  });

  it('passes free ports', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const p = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    await expect(checkAddressesFree([{ ip: '127.0.0.1', port: p, what: 'the store' }], dir, hint)).resolves.toBeUndefined();
  });

  it('refuses a data dir whose launcher is still running, not one whose launcher is gone', async () => {
    const launcher = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'packages/cluster/dist/main.js'], { stdio: 'ignore' });
    try {
      writeClusterFile(dir, { server: 'https://127.0.1.1:6443', controlPlaneIp: '127.0.1.1', nodeIpPrefix: '127.0.1', apiserverPort: 6443, storePort: 2379, launcherPid: launcher.pid! });
      expect(() => checkDataDirFree(dir)).toThrow(PreflightError);
      expect(() => checkDataDirFree(dir)).toThrow(`belongs to a cluster that is running (tinykube-up, pid ${launcher.pid})`);
    } finally {
      launcher.kill('SIGKILL');
      await new Promise((r) => launcher.once('exit', r));
    }
    expect(() => checkDataDirFree(dir)).not.toThrow();
  });
});
