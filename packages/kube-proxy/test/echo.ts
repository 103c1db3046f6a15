import net from 'node:net';
import type { AddressInfo } from 'node:net';

// Test backends: TCP servers on 127.0.0.x that greet with their name, then echo.

export interface EchoServer {
  name: string;
  ip: string;
  port: number;
  close(): Promise<void>;
}

export async function startEchoServer(name: string, ip: string): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.write(`${name}\n`);
    s.pipe(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ip, () => resolve());
  });
  return {
    name,
    ip,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A connected client that reads line by line. */
export interface LineClient {
  socket: net.Socket;
  /** The next line received (without the newline). */
  line(): Promise<string>;
  send(text: string): void;
  close(): void;
}

export function connectLines(host: string, port: number): Promise<LineClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    let buf = '';
    const waiters: ((l: string) => void)[] = [];
    const lines: string[] = [];
    const flush = (): void => {
      while (lines.length > 0 && waiters.length > 0) waiters.shift()!(lines.shift()!);
    };
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
      flush();
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        line: () =>
          new Promise<string>((res, rej) => {
            waiters.push(res);
            socket.once('close', () => rej(new Error('connection closed')));
            flush();
          }),
        send: (t) => socket.write(t),
        close: () => socket.destroy(),
      }),
    );
  });
}

/** The first line a fresh connection gets: which backend answered. */
export async function whoAnswers(host: string, port: number): Promise<string> {
  const c = await connectLines(host, port);
  try {
    return await c.line();
  } finally {
    c.close();
  }
}

/** Resolves with the error code of a connect attempt that fails (e.g. ECONNREFUSED), or 'connected'. */
export function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'ERROR'));
  });
}
