import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// Container logs. A container's stdout and stderr both go straight to one file opened O_APPEND
// (<root>/pods/<uid>/logs/<container>/<restart>.log), not through a pipe to the kubelet: a pipe
// would break when the kubelet restarts, and containers must survive that. The price: lines carry
// no per-line timestamps (see README), and rotation is copy-then-truncate (logrotate's copytruncate),
// which the writer's O_APPEND makes safe: its next write lands at the new end of the file.

export const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export function podDir(rootDir: string, uid: string): string {
  return join(rootDir, 'pods', uid);
}

export function logPath(rootDir: string, uid: string, container: string, restart: number): string {
  return join(podDir(rootDir, uid), 'logs', container, `${restart}.log`);
}

/** Opens (creating) a log file for appending; the fd is handed to the child and closed by the caller. */
export function openLogFd(path: string): number {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, 'a');
}

/** Rotates `path` to `path.1` when it has grown past `maxBytes`; returns whether it rotated. */
export function rotateIfNeeded(path: string, maxBytes = LOG_ROTATE_BYTES): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  if (size < maxBytes) return false;
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  return true;
}

export interface ReadLogOptions {
  tailLines?: number;
  /** Only the last N bytes (applied before tailLines). */
  limitBytes?: number;
  /** Without per-line timestamps this can only drop a whole file not written to in that window. */
  sinceSeconds?: number;
  now?: number;
}

/** The log as kubectl logs shows it: the rotated part, then the current file. */
export function readLog(path: string, o: ReadLogOptions = {}): string {
  if (!existsSync(path)) return '';
  if (o.sinceSeconds !== undefined) {
    const mtime = statSync(path).mtimeMs;
    if (mtime < (o.now ?? Date.now()) - o.sinceSeconds * 1000) return '';
  }
  let text = (existsSync(`${path}.1`) ? readFileSync(`${path}.1`, 'utf8') : '') + readFileSync(path, 'utf8');
  if (o.limitBytes !== undefined && text.length > o.limitBytes) text = text.slice(text.length - o.limitBytes);
  if (o.tailLines !== undefined) text = tailLines(text, o.tailLines);
  return text;
}

/** The last n lines (a trailing newline does not count as an empty last line). */
export function tailLines(text: string, n: number): string {
  if (n <= 0) return '';
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const out = lines.slice(-n).join('\n');
  return out && trailing ? `${out}\n` : out;
}

/**
 * Streams what is appended to `path` from byte `from`, polling (inotify is unreliable for a file
 * another process appends to through its own fd), until `stop` says so and the file is drained.
 */
export async function* followLog(path: string, from: number, stop: () => boolean, signal: AbortSignal, pollMs = 200): AsyncGenerator<Buffer> {
  let pos = from;
  while (!signal.aborted) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
    }
    if (size < pos) pos = 0; // truncated by rotation: continue from the new start
    if (size > pos) {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(size - pos);
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        pos += bytesRead;
        if (bytesRead > 0) yield buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
      continue;
    }
    if (stop()) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
