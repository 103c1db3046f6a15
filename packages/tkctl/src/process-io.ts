import type { Io } from './io.js';

/** The Io of the real process: its streams and environment, Ctrl-C as the abort signal. */
export function processIo(): { io: Io; dispose(): void } {
  const ac = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    // First Ctrl-C ends watches and waits cleanly; a second one exits at once.
    if (interrupted) process.exit(130);
    interrupted = true;
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `tkctl get pods | head`: a closed pipe is not an error worth a stack trace.
    if (err.code === 'EPIPE') process.exit(0);
  });
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    signal: ac.signal,
  };
  return { io, dispose: () => process.off('SIGINT', onSigint) };
}
