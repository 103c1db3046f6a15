import type { Readable } from 'node:stream';
import type { ChannelSocket } from './channel.js';

/**
 * Forwards a readable (a process's stdout, a TCP socket) into one channel of a WebSocket, pausing the
 * source while too many messages wait in the socket: a slow client slows the producer down instead
 * of growing the kubelet's memory.
 */
export function pipeToChannel(src: Readable, ch: ChannelSocket, channel: number, maxInFlight = 16): void {
  let inFlight = 0;
  src.on('data', (chunk: Buffer) => {
    if (!ch.isOpen()) return;
    inFlight++;
    ch.send(channel, chunk, () => {
      inFlight--;
      if (inFlight < maxInFlight / 2 && src.isPaused()) src.resume();
    });
    if (inFlight >= maxInFlight) src.pause();
  });
}
