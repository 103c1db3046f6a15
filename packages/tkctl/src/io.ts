import { Readable } from 'node:stream';

/**
 * Everything a command touches outside its arguments: output streams, stdin, environment, working
 * directory, clock and the interrupt signal. main.ts passes the process's; tests pass buffers.
 */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  now(): Date;
  /** Aborts on Ctrl-C: watches, follows and waits end quietly. */
  signal: AbortSignal;
}

export interface OutStream {
  write(s: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** An Io over in-memory buffers, for tests: read what was written with `out()` and `err()`. */
export function bufferIo(over: Partial<Io> = {}): Io & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const dec = (s: string | Uint8Array) => (typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
  return {
    stdout: { write: (s) => (out += dec(s)) },
    stderr: { write: (s) => (err += dec(s)) },
    stdin: over.stdin ?? (emptyReadable() as Io['stdin']),
    env: {},
    cwd: process.cwd(),
    now: () => new Date(),
    signal: new AbortController().signal,
    ...over,
    out: () => out,
    err: () => err,
  };
}

function emptyReadable(): Readable {
  return Readable.from([]);
}
