/**
 * The write-ahead log: numbered, preallocated segment files of records framed as
 * [u32 LE payload length][u32 LE CRC32(payload)][payload]; unused space is zeros.
 *
 * - Durability: a record's promise resolves only after fdatasync. Segments are preallocated
 *   (zero-filled) like etcd's, so an fdatasync flushes data only, not a file-size change — on
 *   ext4 that halves the cost of every acknowledged write.
 * - Group commit: records that arrive while a sync is pending share one write and one fdatasync.
 * - Atomic creation: a segment is zero-filled in a temp file, fsynced, then renamed into place
 *   (and the directory fsynced), so a crash never leaves a half-made segment that looks real.
 *   The next segment is prepared in the background so switching segments is cheap.
 * - Recovery (wal-read.ts): a torn record at the very end is cut off with a warning; a bad
 *   record followed by a valid one is corruption of acknowledged data → WalCorruptError.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { encodeRecord, fsyncDir, listSegments, segmentName, WalFailedError, ZEROS } from './wal-read.js';

export {
  encodeRecord, fsyncDir, listSegments, readWal, segmentName, WalCorruptError, WalFailedError, type WalReadResult,
} from './wal-read.js';

const writev = promisify(fs.writev);
const fdatasync = promisify(fs.fdatasync);

export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/** Writes a zero-filled file of `size` bytes and fsyncs it. */
function zeroFillSync(file: string, size: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let p = 0; p < size; p += ZEROS.length) fs.writeSync(fd, ZEROS, 0, Math.min(ZEROS.length, size - p), p);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Zero-fills in the background in small synced steps: on ext4 (data=ordered) every WAL fdatasync
 * that commits the journal also flushes other dirty data, so a large unsynced fill would stall
 * acknowledged writes.
 */
async function zeroFill(file: string, size: number): Promise<void> {
  const step = 256 * 1024;
  const fh = await fs.promises.open(file, 'w');
  try {
    for (let p = 0; p < size; p += step) {
      await fh.write(ZEROS, 0, Math.min(step, size - p), p);
      await fh.datasync();
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

type Waiting = { frame: Buffer; resolve: () => void; reject: (err: Error) => void };
type Item = Waiting | { rotated: (seq: number) => void };

/** 'sync': blocking write+fdatasync once per event-loop turn (default); 'async': thread pool. */
export type WalSyncMode = 'sync' | 'async';

export interface WalWriterOptions {
  segmentBytes?: number;
  mode?: WalSyncMode;
  /** Called after each durable write: how long the write+fdatasync took, and how many bytes it wrote. */
  onSync?: (seconds: number, bytes: number) => void;
}

export class WalWriter {
  private fd: number;
  private seq: number;
  private offset: number;
  private size: number;
  private queue: Item[] = [];
  private flushing = false;
  private failed: Error | undefined;
  private idle: (() => void)[] = [];
  private spare: { file: string; size: number; ready: boolean; job: Promise<void> } | undefined;
  private readonly segmentBytes: number;
  private readonly mode: WalSyncMode;
  private readonly onSync: ((seconds: number, bytes: number) => void) | undefined;
  /** Number of fdatasync calls (observability, group-commit tests). */
  syncs = 0;
  private spares = 0;

  private constructor(
    private readonly dir: string,
    tail: { seq: number; offset: number } | undefined,
    opts: WalWriterOptions,
  ) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.mode = opts.mode ?? 'sync';
    this.onSync = opts.onSync;
    fs.mkdirSync(dir, { recursive: true });
    // leftovers of a crash while a segment was being prepared
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.tmp')) fs.rmSync(path.join(dir, f), { force: true });
    if (tail) {
      const file = path.join(dir, segmentName(tail.seq));
      this.fd = fs.openSync(file, 'r+');
      this.seq = tail.seq;
      this.offset = tail.offset;
      this.size = fs.fstatSync(this.fd).size;
    } else {
      this.seq = 1;
      this.offset = 0;
      this.size = this.segmentBytes;
      this.fd = this.install(1, this.segmentBytes);
    }
  }

  /** Continues at `tail` (from readWal), or starts segment 1 in an empty directory. */
  static open(dir: string, tail: { seq: number; offset: number } | undefined, opts: WalWriterOptions = {}): WalWriter {
    return new WalWriter(dir, tail, opts);
  }

  get currentSeq(): number {
    return this.seq;
  }

  /** Resolves once `payload` is durable; rejects (forever after) if the disk failed. */
  append(payload: Buffer): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const frame = encodeRecord(payload);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ frame, resolve, reject });
      if (!this.flushing) this.flush();
    });
  }

  /**
   * Every record appended from now on goes to a new segment. Resolves with that segment's number
   * once the switch happened (all earlier records are then in older segments).
   */
  rotate(): Promise<number> {
    return new Promise((resolve) => {
      this.queue.push({ rotated: resolve });
      if (!this.flushing) this.flush();
    });
  }

  /** Deletes segments older than `seq` (after a snapshot covers them). */
  removeBefore(seq: number): void {
    for (const s of listSegments(this.dir)) if (s < seq) fs.rmSync(path.join(this.dir, segmentName(s)), { force: true });
  }

  /** Renames a prepared (or freshly made) zero-filled file into place as segment `seq`. */
  private install(seq: number, size: number): number {
    const final = path.join(this.dir, segmentName(seq));
    const spare = this.spare;
    this.spare = undefined;
    if (spare && spare.ready && spare.size >= size) {
      fs.renameSync(spare.file, final);
    } else {
      // not ready yet: abandon it (removed once its writer is done) and make one now
      if (spare) void spare.job.then(() => fs.rmSync(spare.file, { force: true }));
      const tmp = `${final}.tmp`;
      zeroFillSync(tmp, size);
      fs.renameSync(tmp, final);
    }
    fsyncDir(this.dir);
    return fs.openSync(final, 'r+');
  }

  private prepareSpare(): void {
    if (this.spare) return;
    const spare = { file: path.join(this.dir, `spare-${++this.spares}.wal.tmp`), size: this.segmentBytes, ready: false, job: Promise.resolve() };
    spare.job = zeroFill(spare.file, spare.size).then(
      () => {
        spare.ready = true;
      },
      () => undefined, // no spare: the next switch makes one synchronously
    );
    this.spare = spare;
  }

  /** Closes the current segment and continues in the next one (at least `need` bytes). */
  private switchSegment(need: number): void {
    const size = Math.max(this.segmentBytes, need);
    const fd = this.install(this.seq + 1, size);
    fs.closeSync(this.fd);
    this.fd = fd;
    this.seq++;
    this.offset = 0;
    this.size = size;
  }

  /** The next segment is prepared once this one is half full, so switching rarely waits. */
  private maybePrepareSpare(): void {
    if (!this.spare && this.offset >= this.size / 2) this.prepareSpare();
  }

  private flush(): void {
    this.flushing = true;
    if (this.mode === 'sync') setImmediate(() => this.flushSync());
    else void this.flushAsync();
  }

  /**
   * Splits a batch into runs that each fit one segment; `write` makes a run durable.
   * Segment switches (full segment, or a rotate() marker) happen between runs.
   */
  private plan(batch: Item[]): { frames: Buffer[]; waiting: Waiting[]; switchTo?: number; rotated?: (seq: number) => void }[] {
    const runs: { frames: Buffer[]; waiting: Waiting[]; switchTo?: number; rotated?: (seq: number) => void }[] = [];
    let run: (typeof runs)[number] = { frames: [], waiting: [] };
    let used = this.offset;
    let capacity = this.size;
    for (const item of batch) {
      if ('rotated' in item) {
        run.rotated = item.rotated;
        run.switchTo = 0;
        runs.push(run);
        run = { frames: [], waiting: [] };
        used = 0;
        capacity = this.segmentBytes;
        continue;
      }
      if (used + item.frame.length > capacity) {
        run.switchTo = item.frame.length;
        runs.push(run);
        run = { frames: [], waiting: [] };
        used = 0;
        capacity = Math.max(this.segmentBytes, item.frame.length);
      }
      run.frames.push(item.frame);
      run.waiting.push(item);
      used += item.frame.length;
    }
    runs.push(run);
    return runs;
  }

  /**
   * Blocking variant: runs once the event loop has taken in everything readable, so one sync
   * covers every request that arrived meanwhile, without thread-pool round trips (which cost
   * more than the fdatasync itself on a busy 2-core machine).
   */
  private flushSync(): void {
    while (this.queue.length > 0 && !this.failed) {
      const runs = this.plan(this.queue);
      this.queue = [];
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r];
        try {
          if (run.frames.length > 0) {
            const buf = run.frames.length === 1 ? run.frames[0] : Buffer.concat(run.frames);
            const t0 = performance.now();
            for (let done = 0; done < buf.length; ) done += fs.writeSync(this.fd, buf, done, buf.length - done, this.offset + done);
            fs.fdatasyncSync(this.fd);
            this.onSync?.((performance.now() - t0) / 1000, buf.length);
            this.syncs++;
            this.offset += buf.length;
            this.maybePrepareSpare();
          }
          if (run.switchTo !== undefined) this.switchSegment(run.switchTo);
        } catch (err) {
          this.fail(err, runs.slice(r).flatMap((x) => x.waiting));
          break;
        }
        for (const w of run.waiting) w.resolve();
        run.rotated?.(this.seq);
      }
    }
    this.settle();
  }

  private async flushAsync(): Promise<void> {
    while (this.queue.length > 0 && !this.failed) {
      const runs = this.plan(this.queue);
      this.queue = [];
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r];
        try {
          if (run.frames.length > 0) {
            const n = run.frames.reduce((s, f) => s + f.length, 0);
            const t0 = performance.now();
            await writev(this.fd, run.frames, this.offset);
            await fdatasync(this.fd);
            this.onSync?.((performance.now() - t0) / 1000, n);
            this.syncs++;
            this.offset += n;
            this.maybePrepareSpare();
          }
          if (run.switchTo !== undefined) this.switchSegment(run.switchTo);
        } catch (err) {
          this.fail(err, runs.slice(r).flatMap((x) => x.waiting));
          break;
        }
        for (const w of run.waiting) w.resolve();
        run.rotated?.(this.seq);
      }
    }
    this.settle();
  }

  private fail(err: unknown, waiting: Waiting[]): void {
    this.failed = new WalFailedError(`write-ahead log write failed: ${(err as Error).message}`);
    for (const w of waiting) w.reject(this.failed);
    for (const item of this.queue) if ('reject' in item) item.reject(this.failed);
    this.queue = [];
  }

  private settle(): void {
    this.flushing = false;
    for (const f of this.idle.splice(0)) f();
  }

  /** Resolves when everything appended so far is durable (or failed). */
  drain(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  get error(): Error | undefined {
    return this.failed;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.spare?.job;
    if (this.spare) fs.rmSync(this.spare.file, { force: true });
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
