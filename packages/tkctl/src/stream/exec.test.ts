import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { bufferIo } from '../io.js';
import { exitFromStatus } from './exec.js';
import { startFakeStreamServer, type FakeStreamServer } from './fake-stream-server.test-helper.js';

let server: FakeStreamServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const status = (exitCode: number) =>
  exitCode === 0
    ? { kind: 'Status', status: 'Success' }
    : { kind: 'Status', status: 'Failure', reason: 'NonZeroExitCode', message: `command terminated with non-zero exit code`, details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] } };

describe('exec over the v5 channel protocol', () => {
  it('streams stdout/stderr, forwards stdin, closes stdin with [255,0] and exits with the remote code', async () => {
    let received = '';
    let stdinClosed = false;
    server = await startFakeStreamServer((ws) => {
      ws.send(Buffer.from([1, ...Buffer.from('hello\n')]));
      ws.send(Buffer.from([2, ...Buffer.from('warning\n')]));
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0) received += data.subarray(1).toString();
        if (data[0] === 255 && data[1] === 0) {
          stdinClosed = true;
          ws.send(Buffer.from([3, ...Buffer.from(JSON.stringify(status(3)))]));
          ws.close();
        }
      });
    });
    const io = bufferIo({ stdin: Readable.from([Buffer.from('some input')]) as never });
    const code = await runCli(['--server', server.url, 'exec', '-i', 'p', '--', 'sh', '-c', 'cat'], io);
    expect(io.out()).toBe('hello\n');
    expect(io.err()).toBe('warning\ncommand terminated with exit code 3\n');
    expect(code).toBe(3);
    expect(received).toBe('some input');
    expect(stdinClosed).toBe(true);
    const up = server.upgrades[0];
    expect(up.path).toBe('/api/v1/namespaces/default/pods/p/exec');
    expect(up.query.getAll('command')).toEqual(['sh', '-c', 'cat']);
    expect(up.query.get('container')).toBe('main');
    expect(up.query.get('stdin')).toBe('true');
    expect(up.protocol).toBe('v5.channel.k8s.io');
  });

  it('exits 0 on a Success status', async () => {
    server = await startFakeStreamServer((ws) => {
      ws.send(Buffer.from([1, ...Buffer.from('ok')]));
      ws.send(Buffer.from([3, ...Buffer.from(JSON.stringify(status(0)))]));
      ws.close();
    });
    const io = bufferIo();
    expect(await runCli(['--server', server.url, 'exec', 'p', '--', 'true'], io)).toBe(0);
    expect(io.out()).toBe('ok');
  });

  it('reports a missing pod like kubectl', async () => {
    server = await startFakeStreamServer(() => {});
    const io = bufferIo();
    expect(await runCli(['--server', server.url, 'exec', 'nope', '--', 'true'], io)).toBe(1);
    expect(io.err()).toBe('Error from server (NotFound): pods "nope" not found\n');
  });
});

describe('exitFromStatus', () => {
  it('reads exit codes and failures', () => {
    expect(exitFromStatus(JSON.stringify(status(0)))).toEqual({ exitCode: 0 });
    expect(exitFromStatus(JSON.stringify(status(42)))).toEqual({ exitCode: 42 });
    expect(exitFromStatus(JSON.stringify({ status: 'Failure', message: 'container not found' }))).toEqual({ error: 'container not found' });
  });
});
