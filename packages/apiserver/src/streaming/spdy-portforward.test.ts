import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { waitFor } from '@tinykube/testkit';
import { SpdyReader, SpdyWriter, type SpdyFrame } from './spdy.js';
import { SpdyPortForwardTunnel } from './spdy-portforward.js';

// The tunnel between a SPDY client (playing kubectl) and a fake kubelet that echoes upper-cased
// data on channel 0 and closes when the client half-closes.
let kubelet: WebSocketServer;
let tunnelServer: WebSocketServer;
let tunnelUrl: string;
const dialled: string[] = [];

beforeAll(async () => {
  kubelet = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  kubelet.on('connection', (ws, req) => {
    dialled.push(req.url ?? '');
    const port = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ports'));
    const prefix = (ch: number): Buffer => { const b = Buffer.alloc(3); b[0] = ch; b.writeUInt16LE(port, 1); return b; };
    ws.send(prefix(0));
    ws.send(prefix(1));
    ws.on('message', (d: Buffer) => {
      if (d[0] === 0) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(d.subarray(1).toString().toUpperCase())]));
      if (d[0] === 255 && d[1] === 0) ws.close(1000);
    });
  });
  await new Promise((r) => kubelet.once('listening', r));
  const kport = (kubelet.address() as AddressInfo).port;
  tunnelServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  tunnelServer.on('connection', (ws) => {
    new SpdyPortForwardTunnel(ws, (p) => new WebSocket(`ws://127.0.0.1:${kport}/portForward/ns/pod?ports=${p}`, ['v4.channel.k8s.io']), pino({ level: 'silent' }));
  });
  await new Promise((r) => tunnelServer.once('listening', r));
  tunnelUrl = `ws://127.0.0.1:${(tunnelServer.address() as AddressInfo).port}`;
});

afterAll(() => {
  kubelet?.close();
  tunnelServer?.close();
});

describe('SPDY port-forward tunnel', () => {
  it('replies to streams, carries data both ways, and FINs both streams when the pod side ends', async () => {
    const ws = new WebSocket(tunnelUrl);
    await new Promise((r) => ws.once('open', r));
    const w = new SpdyWriter();
    const r = new SpdyReader();
    const frames: SpdyFrame[] = [];
    ws.on('message', (d: Buffer) => frames.push(...r.push(d)));
    ws.send(w.synStream(1, { streamtype: ['error'], port: ['8080'], requestid: ['0'] }));
    ws.send(w.data(1, Buffer.alloc(0), true));
    ws.send(w.synStream(3, { streamtype: ['data'], port: ['8080'], requestid: ['0'] }));
    ws.send(w.data(3, Buffer.from('hello')));
    ws.send(w.ping(1));
    await waitFor(() => frames.some((f) => f.type === 'data' && f.streamId === 3 && f.data.length > 0), { what: 'echoed data' });
    ws.send(w.data(3, Buffer.alloc(0), true));
    await waitFor(() => frames.filter((f) => f.type === 'data' && f.fin).length === 2, { what: 'FIN on both streams' });
    expect(frames.filter((f) => f.type === 'syn_reply').map((f) => (f as { streamId: number }).streamId)).toEqual([1, 3]);
    expect(frames).toContainEqual({ type: 'ping', id: 1 });
    const data = frames.filter((f): f is Extract<SpdyFrame, { type: 'data' }> => f.type === 'data' && f.streamId === 3);
    expect(Buffer.concat(data.map((f) => f.data)).toString()).toBe('HELLO');
    expect(frames.filter((f) => f.type === 'data' && f.streamId === 1 && f.data.length > 0)).toEqual([]);
    expect(dialled).toEqual(['/portForward/ns/pod?ports=8080']);
    ws.close();
  });

  it('refuses a stream without a valid port', async () => {
    const ws = new WebSocket(tunnelUrl);
    await new Promise((r) => ws.once('open', r));
    const w = new SpdyWriter();
    const r = new SpdyReader();
    const frames: SpdyFrame[] = [];
    ws.on('message', (d: Buffer) => frames.push(...r.push(d)));
    ws.send(w.synStream(1, { streamtype: ['data'], port: ['nope'], requestid: ['0'] }));
    await waitFor(() => frames.length > 0, { what: 'an answer' });
    expect(frames[0]).toEqual({ type: 'rst_stream', streamId: 1, status: 1 });
    ws.close();
  });
});
