import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { CLOSE, portPrefix, type ChannelSocket } from './channel.js';
import { pipeToChannel } from './pace.js';

// port-forward over the WebSocket channel protocol: for the i-th requested port, channel 2i carries
// the data and 2i+1 error text; the first frame of each channel is the port (2 bytes little-endian).
// One TCP connection to podIP:port per port, opened with the WebSocket; the WebSocket closes once
// every connection has ended. [255, 2i] from the client half-closes connection i (v5 close signal).

/** `?ports=80,443` or `?ports=80&ports=443` (also the older `port`). Throws on a bad value. */
export function parsePorts(q: URLSearchParams): number[] {
  const raw = [...q.getAll('ports'), ...q.getAll('port')].flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (raw.length === 0) throw new Error('query parameter "port" is required');
  return raw.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port "${s}"`);
    return n;
  });
}

export function runPortForward(ch: ChannelSocket, host: string, ports: number[], podName: string, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const ws = ch.ws;
    const sockets: Socket[] = [];
    let open = ports.length;
    const done = (): void => {
      if (--open > 0) return;
      if (ws.readyState === ws.OPEN) ws.close(1000);
      resolve();
    };
    ports.forEach((port, i) => {
      ch.send(2 * i, portPrefix(port));
      ch.send(2 * i + 1, portPrefix(port));
      const sock = connect({ host, port });
      sockets.push(sock);
      pipeToChannel(sock, ch, 2 * i);
      sock.on('error', (err) => {
        log.debug({ err, port }, 'port-forward connection failed');
        if (ch.isOpen()) ch.send(2 * i + 1, `error forwarding port ${port} to pod ${podName}: ${err.message}`);
      });
      sock.on('close', done);
    });
    ch.onMessage((channel, payload) => {
      if (channel === CLOSE) {
        const target = payload[0];
        if (target !== undefined && target % 2 === 0) sockets[target / 2]?.end();
        return;
      }
      if (channel % 2 === 0) sockets[channel / 2]?.write(payload);
    });
    ws.on('close', () => {
      for (const s of sockets) s.destroy();
      resolve();
    });
  });
}
