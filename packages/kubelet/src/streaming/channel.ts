// Kubernetes' WebSocket channel protocol (what kubectl 1.30+ and client-node speak for exec, attach
// and port-forward): every binary message is [channel][payload]. For exec/attach: 0 stdin, 1 stdout,
// 2 stderr, 3 the final Status JSON, 4 terminal resize; v5 adds 255 = [255, channel] "this side of
// that channel is closed" (so stdin EOF can be told without closing the whole connection).
// The base64 variants (base64.channel.k8s.io, v4.base64.channel.k8s.io: browsers, old clients) send text
// messages instead: the channel as an ASCII digit ('0' + n), then the payload in base64.
import type { WebSocket } from 'ws';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';

/** Channel protocols we speak, best first. */
export const EXEC_PROTOCOLS = [V5, V4, 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'];
/** Port-forward: the stream layout is the same in every version; v4 first keeps v5's close frames away from old clients. */
export const PORT_FORWARD_PROTOCOLS = [V4, 'portforward.k8s.io', 'channel.k8s.io', V5, 'v4.base64.channel.k8s.io', 'base64.channel.k8s.io'];

const isBase64 = (protocol: string): boolean => protocol.includes('base64.channel.k8s.io');

/** One session's WebSocket seen as numbered channels, in the framing its protocol uses. */
export interface ChannelSocket {
  readonly ws: WebSocket;
  send(channel: number, payload?: Buffer | string, cb?: (err?: Error) => void): void;
  /** Each message as (channel, payload); empty or undecodable messages are dropped. */
  onMessage(fn: (channel: number, payload: Buffer) => void): void;
  isOpen(): boolean;
}

export function channelSocket(ws: WebSocket, protocol: string): ChannelSocket {
  const b64 = isBase64(protocol);
  return {
    ws,
    send(channel, payload = Buffer.alloc(0), cb) {
      const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
      if (b64) ws.send(String.fromCharCode(48 + channel) + body.toString('base64'), cb);
      else ws.send(Buffer.concat([Buffer.from([channel]), body]), cb);
    },
    onMessage(fn) {
      ws.on('message', (data, isBinary) => {
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        if (buf.length === 0) return;
        if (b64 && !isBinary) {
          const text = buf.toString('latin1');
          fn(text.charCodeAt(0) - 48, Buffer.from(text.slice(1), 'base64'));
        } else {
          fn(buf[0]!, buf.subarray(1));
        }
      });
    },
    isOpen: () => ws.readyState === ws.OPEN,
  };
}

/** The first of `ours` that the client offered (undefined: none in common). */
export function negotiate(offered: Iterable<string>, ours: string[]): string | undefined {
  const set = new Set(offered);
  return ours.find((p) => set.has(p));
}

/** The first message of each port-forward channel: the port as 2 bytes little-endian. */
export function portPrefix(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

/** What exec reports on the status channel (meta/v1 Status, as the kubelet sends it). */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

export function exitStatus(code: number, argv: string[]): ExecStatus {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function failureStatus(message: string, reason = 'InternalError'): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason };
}
