import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { Logger } from 'pino';
import { DEFAULT_PATH, which } from '../images/catalogue.js';

// Terminal resize for a tty exec: the command runs under util-linux `script`, which owns the pty's master,
// so the size is set from the slave side — `stty -F /dev/pts/N rows H cols W` — which is the same
// TIOCSWINSZ and sends the command SIGWINCH. The slave is the command's stdin (script's first child).

/** The resize channel's message (remotecommand.TerminalSize). */
export interface TerminalSize { Width: number; Height: number }

export function parseTerminalSize(payload: Buffer): TerminalSize | undefined {
  try {
    const v = JSON.parse(payload.toString()) as Partial<TerminalSize>;
    const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) < 65536;
    return ok(v.Width) && ok(v.Height) ? { Width: v.Width, Height: v.Height } : undefined;
  } catch {
    return undefined;
  }
}

/** The pty a process's children read from, if any (Linux /proc). */
export function childPty(pid: number): string | undefined {
  let children: string[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return undefined;
  }
  for (const c of children) {
    try {
      const fd0 = readlinkSync(`/proc/${c}/fd/0`);
      if (fd0.startsWith('/dev/pts/')) return fd0;
    } catch { /* gone already */ }
  }
  return undefined;
}

const sttyPath = which('stty', DEFAULT_PATH);

/**
 * Applies sizes to the pty under `pid` as they come; the first one usually arrives before `script` has
 * started the command, so the latest size waits (up to `waitMs`) for the pty to exist.
 */
export function terminalResizer(pid: number, log: Logger, waitMs = 3_000): (size: TerminalSize) => void {
  let latest: TerminalSize | undefined;
  let busy = false;
  const apply = async (): Promise<void> => {
    busy = true;
    const deadline = Date.now() + waitMs;
    let pty = childPty(pid);
    while (!pty && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      pty = childPty(pid);
    }
    while (pty && latest && sttyPath) {
      const size = latest;
      latest = undefined;
      await new Promise<void>((resolve) => {
        execFile(sttyPath, ['-F', pty!, 'rows', String(size.Height), 'cols', String(size.Width)], (err) => {
          if (err) log.debug({ err, pty }, 'terminal resize failed');
          resolve();
        });
      });
    }
    busy = false;
  };
  return (size) => {
    latest = size;
    if (!busy) void apply();
  };
}
