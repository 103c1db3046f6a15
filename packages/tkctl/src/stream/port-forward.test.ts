import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startPortForward } from '../commands/port-forward.js';
import { bufferIo } from '../io.js';
import { openSession } from '../session.js';
import { startFakeStreamServer, type FakeStreamServer } from './fake-stream-server.test-helper.js';
import { parsePortPair } from './port-forward.js';

let server: FakeStreamServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function roundTrip(port: number, payload: string, expectBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(payload));
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
      if (got.length >= expectBytes) {
        sock.end();
        resolve(got);
      }
    });
    sock.on('error', reject);
  });
}

describe('port-forward over the WebSocket channel protocol', () => {
  it('strips the port prefix of each channel and pipes data both ways', async () => {
    server = await startFakeStreamServer((ws) => {
      // The first frame of each channel carries the port (80 = 0x50, little-endian).
      ws.send(Buffer.from([0, 0x50, 0]));
      ws.send(Buffer.from([1, 0x50, 0]));
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(data.subarray(1).toString().toUpperCase())]));
      });
    });
    const io = bufferIo();
    const session = openSession({ server: server.url }, io);
    const fwd = await startPortForward(session, 'p', [':80']);
    try {
      expect(fwd.ports[0].remote).toBe(80);
      expect(fwd.ports[0].local).toBeGreaterThan(0);
      expect(await roundTrip(fwd.ports[0].local, 'ping', 4)).toBe('PING');
      expect(io.out()).toContain(`Forwarding from 127.0.0.1:${fwd.ports[0].local} -> 80\n`);
      expect(io.out()).toContain(`Handling connection for ${fwd.ports[0].local}\n`);
      const up = server.upgrades[0];
      expect(up.path).toBe('/api/v1/namespaces/default/pods/p/portforward');
      expect(up.query.get('ports')).toBe('80');
      expect(up.protocol).toBe('v4.channel.k8s.io');
    } finally {
      await fwd.close();
      await session.close();
    }
  });

  it('prints errors sent on the error channel', async () => {
    server = await startFakeStreamServer((ws) => {
      ws.send(Buffer.from([0, 0x50, 0]));
      ws.send(Buffer.concat([Buffer.from([1, 0x50, 0]), Buffer.from('connection refused')]));
      ws.close();
    });
    const io = bufferIo();
    const session = openSession({ server: server.url }, io);
    const fwd = await startPortForward(session, 'p', [':80']);
    try {
      const sock = connect(fwd.ports[0].local, '127.0.0.1');
      await new Promise((r) => sock.on('close', r));
      expect(io.err()).toContain('connection refused');
    } finally {
      await fwd.close();
      await session.close();
    }
  });
});

describe('parsePortPair', () => {
  it('reads LOCAL:REMOTE, REMOTE and :REMOTE', () => {
    expect(parsePortPair('8080:80')).toEqual({ local: 8080, remote: 80 });
    expect(parsePortPair('80')).toEqual({ local: 80, remote: 80 });
    expect(parsePortPair(':80')).toEqual({ local: 0, remote: 80 });
    expect(() => parsePortPair('x:80')).toThrow(/invalid port mapping/);
  });
});
