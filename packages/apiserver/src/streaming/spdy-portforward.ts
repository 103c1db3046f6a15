/**
 * The server side of kubectl's port-forward tunnel (kubectl ≥ 1.31: a WebSocket with subprotocol
 * `SPDY/3.1+portforward.k8s.io` whose binary messages carry a SPDY/3.1 connection), translated to
 * the kubelet's WebSocket channel protocol.
 *
 * kubectl opens, per accepted local connection, two streams with the same `requestid` header: an
 * `error` stream (which it half-closes at once and reads to EOF for an error message) and a `data`
 * stream. Each pair becomes one kubelet WebSocket `/portForward/<ns>/<pod>?ports=<port>`: kubelet
 * channel 0 ↔ the data stream, channel 1 → the error stream (each channel's first 2 bytes, the
 * port, are dropped). When the kubelet side ends, both streams get FIN; a FIN from kubectl on the
 * data stream half-closes the pod connection ([255, 0]).
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { RST_CANCEL, RST_PROTOCOL_ERROR, SpdyReader, SpdyWriter, type SpdyFrame } from './spdy.js';

export const SPDY_PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** Opens a channel-protocol WebSocket to the kubelet for one port. */
export type KubeletDialer = (port: number) => WebSocket;

interface Pair {
  requestId: string;
  port: number;
  errorStream?: number;
  dataStream?: number;
  kubelet?: WebSocket;
  /** Data from kubectl that arrived before the kubelet socket was open. */
  pending: Buffer[];
  dataFinSent: boolean;
  errorFinSent: boolean;
}

export class SpdyPortForwardTunnel {
  private readonly reader = new SpdyReader();
  private readonly writer = new SpdyWriter();
  private readonly pairs = new Map<string, Pair>();
  private readonly byStream = new Map<number, Pair>();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly client: WebSocket, private readonly dial: KubeletDialer, private readonly log: Logger) {
    client.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.onBytes(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)));
    client.on('close', () => this.shutdown());
    client.on('error', (err) => log.debug({ err }, 'port-forward tunnel socket error'));
  }

  private send(buf: Buffer): void {
    if (this.client.readyState === this.client.OPEN) this.client.send(buf);
  }

  private onBytes(buf: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(buf);
    } catch (err) {
      this.log.info({ err }, 'bad SPDY data in port-forward tunnel; closing it');
      this.send(this.writer.goAway(this.lastStreamId, RST_PROTOCOL_ERROR));
      this.client.close(1002);
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private onFrame(f: SpdyFrame): void {
    switch (f.type) {
      case 'syn_stream':
        return this.onSynStream(f.streamId, f.headers, f.fin);
      case 'data': {
        const pair = this.byStream.get(f.streamId);
        if (!pair) return;
        if (f.streamId === pair.dataStream) {
          if (f.data.length > 0) this.toKubelet(pair, Buffer.concat([Buffer.from([0]), f.data]));
          if (f.fin) this.toKubelet(pair, Buffer.from([255, 0]));
        }
        // The error stream is kubectl → us only to be closed at once: nothing to forward.
        return;
      }
      case 'rst_stream': {
        const pair = this.byStream.get(f.streamId);
        if (pair) this.endPair(pair, false);
        return;
      }
      case 'ping':
        this.send(this.writer.ping(f.id));
        return;
      case 'goaway':
        this.client.close(1000);
        return;
      default:
        return; // SETTINGS, HEADERS, WINDOW_UPDATE: nothing to do without flow control
    }
  }

  private onSynStream(streamId: number, headers: Record<string, string[]>, fin: boolean): void {
    this.lastStreamId = Math.max(this.lastStreamId, streamId);
    const type = headers.streamtype?.[0];
    const port = Number(headers.port?.[0]);
    const requestId = headers.requestid?.[0] ?? '';
    if ((type !== 'data' && type !== 'error') || !Number.isInteger(port) || port < 1 || port > 65535) {
      this.log.info({ streamId, headers }, 'port-forward stream with bad headers refused');
      this.send(this.writer.rstStream(streamId, RST_PROTOCOL_ERROR));
      return;
    }
    this.send(this.writer.synReply(streamId));
    let pair = this.pairs.get(requestId);
    if (!pair) {
      pair = { requestId, port, pending: [], dataFinSent: false, errorFinSent: false };
      this.pairs.set(requestId, pair);
    }
    this.byStream.set(streamId, pair);
    if (type === 'error') pair.errorStream = streamId;
    else pair.dataStream = streamId;
    if (type === 'data' && fin) pair.pending.push(Buffer.from([255, 0]));
    if (pair.dataStream !== undefined && !pair.kubelet) this.connect(pair);
  }

  private connect(pair: Pair): void {
    const ws = this.dial(pair.port);
    pair.kubelet = ws;
    const skip = new Map<number, number>([[0, 2], [1, 2]]);
    ws.on('open', () => {
      for (const b of pair.pending.splice(0)) ws.send(b);
    });
    ws.on('message', (data: Buffer) => {
      let payload = data.subarray(1);
      const ch = data[0]!;
      const left = skip.get(ch) ?? 0;
      if (left > 0) {
        skip.set(ch, Math.max(0, left - payload.length));
        payload = payload.subarray(left);
      }
      if (payload.length === 0) return;
      if (ch === 0 && pair.dataStream !== undefined && !pair.dataFinSent) this.send(this.writer.data(pair.dataStream, payload));
      else if (ch === 1 && pair.errorStream !== undefined && !pair.errorFinSent) this.send(this.writer.data(pair.errorStream, payload));
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        this.reportError(pair, `the kubelet refused port-forward (${res.statusCode}): ${Buffer.concat(chunks).toString().trim()}`);
        this.endPair(pair, true);
      });
    });
    ws.on('error', (err) => {
      this.reportError(pair, `the kubelet is unreachable: ${err.message}`);
      this.endPair(pair, true);
    });
    ws.on('close', () => this.endPair(pair, true));
  }

  private toKubelet(pair: Pair, buf: Buffer): void {
    if (pair.kubelet && pair.kubelet.readyState === pair.kubelet.OPEN) pair.kubelet.send(buf);
    else pair.pending.push(buf);
  }

  private reportError(pair: Pair, message: string): void {
    if (pair.errorStream !== undefined && !pair.errorFinSent) this.send(this.writer.data(pair.errorStream, Buffer.from(message)));
  }

  /** Ends both streams of a pair (FIN when the remote side simply finished), and its kubelet socket. */
  private endPair(pair: Pair, fin: boolean): void {
    if (pair.dataStream !== undefined && !pair.dataFinSent) {
      pair.dataFinSent = true;
      this.send(fin ? this.writer.data(pair.dataStream, Buffer.alloc(0), true) : this.writer.rstStream(pair.dataStream, RST_CANCEL));
    }
    if (pair.errorStream !== undefined && !pair.errorFinSent) {
      pair.errorFinSent = true;
      this.send(this.writer.data(pair.errorStream, Buffer.alloc(0), true));
    }
    const k = pair.kubelet;
    if (k?.readyState === k?.CONNECTING) k?.terminate();
    else if (k?.readyState === k?.OPEN) k?.close(1000);
    this.pairs.delete(pair.requestId);
    if (pair.dataStream !== undefined) this.byStream.delete(pair.dataStream);
    if (pair.errorStream !== undefined) this.byStream.delete(pair.errorStream);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pair of this.pairs.values()) pair.kubelet?.terminate();
    this.pairs.clear();
    this.byStream.clear();
  }
}
