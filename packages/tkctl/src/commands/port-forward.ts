import type { Server, Socket } from 'node:net';
import { resourcePath } from '@tinykube/client';
import { usageError } from '../errors.js';
import { pickPod, podsInfo } from '../pod-picker.js';
import type { Session } from '../session.js';
import { bridge, listen, parsePortPair, PORT_FORWARD_PROTOCOLS, type PortPair } from '../stream/port-forward.js';
import { openStream } from '../stream/ws.js';

export interface PortForwardOptions {
  address?: string[];
}

export interface Forwarding {
  ports: PortPair[];
  close(): Promise<void>;
}

/**
 * Starts forwarding: one listener per LOCAL:REMOTE pair on each address; each connection gets
 * its own WebSocket to pods/NAME/portforward?ports=REMOTE.
 */
export async function startPortForward(s: Session, target: string, specs: string[], o: PortForwardOptions = {}): Promise<Forwarding> {
  if (specs.length === 0) throw usageError('TYPE/NAME and list of ports are required for port-forward');
  const pairs = specs.map((spec) => {
    try {
      return parsePortPair(spec);
    } catch (err) {
      throw usageError((err as Error).message);
    }
  });
  const pod = await pickPod(s, target);
  const path = resourcePath(podsInfo(), { namespace: pod.metadata.namespace, name: pod.metadata.name, subresource: 'portforward' });
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const bound: PortPair[] = [];
  for (const pair of pairs) {
    for (const address of o.address ?? ['127.0.0.1']) {
      const { server, port } = await listen(address, pair.local, (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        s.io.stdout.write(`Handling connection for ${port}\n`);
        openStream(s, path, [['ports', String(pair.remote)]], PORT_FORWARD_PROTOCOLS).then(
          (ws) => bridge(socket, ws, (msg) => s.io.stderr.write(`E0000 portforward: an error occurred forwarding ${port} -> ${pair.remote}: ${msg}\n`)),
          (err: Error) => {
            s.io.stderr.write(`error: ${err.message}\n`);
            socket.destroy();
          },
        );
      });
      servers.push(server);
      bound.push({ local: port, remote: pair.remote });
      s.io.stdout.write(`Forwarding from ${address}:${port} -> ${pair.remote}\n`);
    }
  }
  return {
    ports: bound,
    close: async () => {
      for (const sock of sockets) sock.destroy();
      await Promise.all(servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    },
  };
}

/** `tkctl port-forward POD|TYPE/NAME [LOCAL:]REMOTE...`: runs until Ctrl-C. */
export async function portForwardCommand(s: Session, args: string[], o: PortForwardOptions): Promise<void> {
  const [target, ...specs] = args;
  if (!target) throw usageError('TYPE/NAME and list of ports are required for port-forward');
  const fwd = await startPortForward(s, target, specs, o);
  await new Promise<void>((resolve) => {
    if (s.io.signal.aborted) resolve();
    s.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await fwd.close();
}
