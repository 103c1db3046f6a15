import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Logger } from 'pino';
import { DEFAULT_PATH, resolveArgv, which } from '../images/catalogue.js';
import { killGroup } from '../runtime/proc.js';
import { CLOSE, exitStatus, failureStatus, RESIZE, STATUS, STDERR, STDIN, STDOUT, type ChannelSocket, type ExecStatus } from './channel.js';
import { pipeToChannel } from './pace.js';
import { parseTerminalSize, terminalResizer } from './resize.js';

// exec: a new process "in" the container — the container's environment, its folder ($TK_ROOT) and
// the same image resolution rules (`sh` → /bin/sh, `/agnhost` → our agnhost), in its own process
// group so that a client going away takes the whole command tree with it. A tty comes from
// util-linux `script` (a real pty; resize messages set its size); without `script` on the machine,
// tty=true falls back to pipes.

export interface ExecRequest {
  /** The command as the client asked for it (for messages). */
  command: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const scriptPath = which('script', DEFAULT_PATH);

/** `'it'\''s'`: one argument as POSIX sh reads it back. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The argv actually spawned: resolved like a container command, wrapped in `script` for a tty. */
export function execArgv(req: ExecRequest, haveScript = scriptPath): string[] {
  const argv = resolveArgv(req.command, req.env.PATH ?? DEFAULT_PATH, req.env.TK_IMAGE_ROOT);
  if (!req.tty || !haveScript) return argv;
  // -q quiet, -e exit with the child's code, -f flush at once, -c the command; the typescript goes nowhere.
  return [haveScript, '-qefc', argv.map(shellQuote).join(' '), '/dev/null'];
}

/** Runs one exec session on an open WebSocket; resolves when the session is over. */
export function runExec(ch: ChannelSocket, req: ExecRequest, log: Logger): Promise<void> {
  const ws = ch.ws;
  return new Promise((resolve) => {
    let finished = false;
    const finish = (status: ExecStatus): void => {
      if (finished) return;
      finished = true;
      if (ch.isOpen()) {
        ch.send(STATUS, JSON.stringify(status));
        ws.close(1000);
      }
      resolve();
    };
    const argv = execArgv(req);
    const env = req.tty ? { TERM: 'xterm', ...req.env, SHELL: '/bin/sh' } : req.env;
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        cwd: req.cwd, env, detached: true, stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      finish(failureStatus(`failed to exec in container: ${(err as Error).message}`));
      return;
    }
    child.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      const msg = code === 'ENOENT' ? `exec: "${req.command[0]}": executable file not found in $PATH` : err.message;
      finish(failureStatus(`failed to exec in container: ${msg}`));
    });
    // Output the client did not ask for is drained, not sent.
    if (req.stdout) pipeToChannel(child.stdout!, ch, STDOUT);
    else child.stdout!.resume();
    if (req.stderr && !req.tty) pipeToChannel(child.stderr!, ch, STDERR);
    else if (req.tty && req.stdout) pipeToChannel(child.stderr!, ch, STDOUT);
    else child.stderr!.resume();
    child.stdin?.on('error', () => undefined); // the command may exit before reading its input
    const resize = req.tty && child.pid ? terminalResizer(child.pid, log) : undefined;

    ch.onMessage((channel, payload) => {
      if (channel === STDIN) child.stdin?.write(payload);
      else if (channel === CLOSE && payload[0] === STDIN) child.stdin?.end();
      else if (channel === RESIZE) {
        const size = parseTerminalSize(payload);
        if (resize && size) resize(size);
      }
    });
    ws.on('close', () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) killGroup(child.pid, 'SIGKILL');
      finished = true;
      resolve();
    });
    child.on('close', (code, signal) => {
      const exit = code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9);
      log.debug({ command: req.command, exitCode: exit }, 'exec finished');
      finish(exitStatus(exit, req.command));
    });
  });
}
