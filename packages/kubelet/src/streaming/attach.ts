import { existsSync, statSync } from 'node:fs';
import { followLog } from '../logs.js';
import { STATUS, STDOUT, type ChannelSocket } from './channel.js';

// attach: a process-runtime container's stdout and stderr go straight to its log file (so they
// survive kubelet restarts) and its stdin is /dev/null. Attaching therefore streams what the
// container writes from now on (stdout and stderr both on the stdout channel) until it ends;
// what the client sends on stdin is dropped.

export interface AttachTarget {
  path: string;
  running(): boolean;
}

export async function runAttach(ch: ChannelSocket, target: AttachTarget, stdout: boolean): Promise<void> {
  const ws = ch.ws;
  const ac = new AbortController();
  ws.on('close', () => ac.abort());
  const from = existsSync(target.path) ? statSync(target.path).size : 0;
  for await (const chunk of followLog(target.path, from, () => !target.running(), ac.signal)) {
    if (stdout && ch.isOpen()) ch.send(STDOUT, chunk);
  }
  if (ch.isOpen()) {
    ch.send(STATUS, JSON.stringify({ metadata: {}, status: 'Success' }));
    ws.close(1000);
  }
}
