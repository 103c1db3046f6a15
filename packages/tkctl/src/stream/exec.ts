import type { Readable } from 'node:stream';
import { frame, unframe, type ChannelSocket } from './ws.js';

// The client side of the exec/attach channel protocol (v5.channel.k8s.io, v4 as fallback):
// 0 stdin, 1 stdout, 2 stderr, 3 the final Status (JSON), 4 terminal resize, and in v5 a
// [255, 0] frame that closes stdin.

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecStreams {
  stdin?: Readable;
  stdout: { write(b: Uint8Array): unknown };
  stderr: { write(b: Uint8Array): unknown };
  /** Terminal size to send at start (tty only). */
  size?: { width: number; height: number };
}

/** What ended the remote command: its exit code, or a failure message from the server. */
export type ExecResult = { exitCode: number } | { error: string };

/** Interprets channel 3's Status: Success → 0, NonZeroExitCode → its ExitCode cause, else an error. */
export function exitFromStatus(text: string): ExecResult {
  let st: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    st = JSON.parse(text);
  } catch {
    return { error: text };
  }
  if (st.status === 'Success') return { exitCode: 0 };
  if (st.reason === 'NonZeroExitCode') {
    const cause = st.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: st.message ?? text };
}

/** Runs the protocol on an open socket until the server closes it. */
export function runExec(ws: ChannelSocket, io: ExecStreams): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let result: ExecResult | undefined;
    ws.onMessage((data) => {
      const { channel, payload } = unframe(data);
      if (channel === 1) io.stdout.write(payload);
      else if (channel === 2) io.stderr.write(payload);
      else if (channel === 3) result = exitFromStatus(payload.toString('utf8'));
    });
    ws.onClose(() => resolve(result ?? { exitCode: 0 }));
    ws.ws.on('error', reject);
    if (io.size) ws.send(frame(4, JSON.stringify({ Width: io.size.width, Height: io.size.height })));
    if (io.stdin) {
      io.stdin.on('data', (chunk: Buffer | string) => {
        ws.send(frame(0, typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      });
      io.stdin.on('end', () => {
        // v5 can say "stdin is closed"; v4 has no way to, the command just sees no more input.
        if (ws.protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([255, 0]));
      });
    }
  });
}
