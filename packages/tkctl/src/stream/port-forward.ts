import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { frame, unframe, type ChannelSocket } from './ws.js';

// The client side of port-forwarding over the WebSocket channel protocol (what
// @kubernetes/client-node speaks): one WebSocket per local connection to
// .../portforward?ports=P; channel 0 carries data, channel 1 errors, and the first frame the
// server sends on each channel starts with the port as two little-endian bytes.

export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io'];

export interface PortPair {
  local: number;
  remote: number;
}

/** "8080:80", "80" (same port locally), ":80" (any free local port). */
export function parsePortPair(spec: string): PortPair {
  const m = /^(\d*):(\d+)$/.exec(spec) ?? /^()(\d+)$/.exec(spec);
  const remote = Number(m?.[2]);
  const local = m?.[1] === '' ? (spec.includes(':') ? 0 : remote) : Number(m?.[1]);
  if (!m || !(remote > 0 && remote < 65536) || !(local >= 0 && local < 65536)) throw new Error(`invalid port mapping "${spec}"`);
  return { local, remote };
}

/** Pipes one accepted TCP connection through one WebSocket; `onError` gets channel-1 messages. */
export function bridge(socket: Socket, ws: ChannelSocket, onError: (message: string) => void): void {
  const prefixLeft = new Map<number, number>([[0, 2], [1, 2]]);
  ws.onMessage((data) => {
    const { channel, payload } = unframe(data);
    // Strip the port prefix from the start of each channel (it may arrive split or joined with data).
    const skip = Math.min(prefixLeft.get(channel) ?? 0, payload.length);
    if (skip > 0) prefixLeft.set(channel, (prefixLeft.get(channel) ?? 0) - skip);
    const body = payload.subarray(skip);
    if (body.length === 0) return;
    if (channel === 0) socket.write(body);
    else if (channel === 1) onError(body.toString('utf8'));
  });
  ws.onClose(() => socket.end());
  ws.ws.on('error', () => socket.destroy());
  socket.on('data', (chunk) => ws.send(frame(0, chunk)));
  socket.on('close', () => ws.close());
  socket.on('error', () => ws.close());
}

/** Listens on `address:local` and calls `connect` for each connection. Resolves with the bound port. */
export function listen(address: string, local: number, onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(local, address, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}
