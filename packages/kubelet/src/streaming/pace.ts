import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { frame } from './channel.js';

/**
 * Forwards a readable (a process's stdout, a TCP socket) into one channel of a WebSocket, pausing the
 * source while too many messages wait in the socket: a slow client slows the producer down instead
 * of growing the kubelet's memory.
 */
export function pipeToChannel(src: Readable, ws: WebSocket, channel: number, maxInFlight = 16): void {
  let inFlight = 0;
  src.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    inFlight++;
    ws.send(frame(channel, chunk), () => {
      inFlight--;
      if (inFlight < maxInFlight / 2 && src.isPaused()) src.resume();
    });
    if (inFlight >= maxInFlight) src.pause();
  });
}

/** Binary payload of a ws message (text frames belong to the base64 protocols, which we do not offer). */
export function asBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
