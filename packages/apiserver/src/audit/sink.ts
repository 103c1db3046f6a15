/**
 * The log backend (`--audit-log-path FILE`, `-` for stdout): one JSON event per line, appended.
 * Events are serialised on the caller's turn (so later changes to their objects cannot leak in) and queued;
 * a single background writer drains the queue in batches. The request path never waits and never sees an
 * error: a full queue, a serialisation failure or a failed write drops the events concerned, counts them and
 * logs one warning per run of failures (and an info line once writes succeed again). A failed file is
 * re-opened on the next batch, so a log directory that reappears, or a disk that has room again, just works.
 * Kubernetes' log backend writes synchronously ("blocking" mode) and rotates files; this one does neither.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AuditEvent } from './event.js';

export interface AuditSink {
  /** Queues an event. Never throws. */
  process(ev: AuditEvent): void;
  /** Resolves once everything queued so far has been written (or dropped). */
  flush(): Promise<void>;
  /** Flushes, then releases the file; later events are dropped. */
  close(): Promise<void>;
  stats(): AuditSinkStats;
}

export interface AuditSinkStats { written: number; dropped: number; queued: number }

export interface FileSinkOptions {
  /** a file path, or '-' for standard output */
  path: string;
  log: Logger;
  /** events held in memory at most while the writer catches up (kube's batch buffer default) */
  maxQueuedEvents?: number;
  /** bytes written per batch at most */
  maxBatchBytes?: number;
}

interface Writer { write(chunk: Buffer): Promise<void>; close(): Promise<void> }

function stdoutWriter(): Writer {
  return {
    write: (chunk) => new Promise((resolve, reject) => { process.stdout.write(chunk, (err) => (err ? reject(err) : resolve())); }),
    close: async () => {},
  };
}

function fileWriter(path: string): Writer {
  let handle: FileHandle | undefined;
  return {
    async write(chunk) {
      // kube creates audit logs readable by the owner only
      handle ??= await open(path, 'a', 0o600);
      let off = 0;
      try {
        while (off < chunk.length) off += (await handle.write(chunk, off)).bytesWritten;
      } catch (err) {
        const h = handle;
        handle = undefined;
        await h.close().catch(() => {});
        throw err;
      }
    },
    async close() {
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}

export function createFileSink(opts: FileSinkOptions): AuditSink {
  const log = opts.log.child({ component: 'audit-log', path: opts.path });
  const maxQueued = opts.maxQueuedEvents ?? 10_000;
  const maxBatch = opts.maxBatchBytes ?? 1 << 20;
  const writer = opts.path === '-' ? stdoutWriter() : fileWriter(opts.path);
  let queue: string[] = [];
  let written = 0;
  let dropped = 0;
  let failing = false;
  let closed = false;
  let pumping: Promise<void> | undefined;

  function drop(n: number, why: string, err?: unknown): void {
    dropped += n;
    if (!failing) {
      failing = true;
      log.warn({ err, why, droppedTotal: dropped }, 'dropping audit events');
    }
  }

  async function pump(): Promise<void> {
    while (queue.length > 0) {
      let n = 0;
      let bytes = 0;
      while (n < queue.length && (n === 0 || bytes + queue[n].length <= maxBatch)) bytes += queue[n++].length;
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      try {
        await writer.write(Buffer.from(batch.join('')));
        written += n;
        if (failing) {
          failing = false;
          log.info({ droppedTotal: dropped }, 'audit log writes resumed');
        }
      } catch (err) {
        drop(n, 'write failed', err);
      }
    }
  }

  function kick(): void {
    // start on the next turn, so the events of one burst go out in one write
    pumping ??= new Promise<void>((r) => setImmediate(r)).then(pump).finally(() => { pumping = undefined; });
  }

  return {
    process(ev) {
      if (closed) { drop(1, 'sink closed'); return; }
      if (queue.length >= maxQueued) { drop(1, 'queue full'); return; }
      let line: string;
      try {
        line = `${JSON.stringify(ev)}\n`;
      } catch (err) {
        drop(1, 'unserialisable event', err);
        return;
      }
      queue.push(line);
      kick();
    },
    async flush() {
      while (pumping) await pumping;
    },
    async close() {
      closed = true;
      while (pumping) await pumping;
      await writer.close().catch((err: unknown) => log.warn({ err }, 'closing the audit log failed'));
    },
    stats: () => ({ written, dropped, queued: queue.length }),
  };
}
