/**
 * The WAL's on-disk format and its reading side (recovery).
 * Records are framed as [u32 LE payload length][u32 LE CRC32(payload)][payload]; the unused,
 * preallocated rest of a segment is zeros. A torn or corrupt record at the very end (a crash
 * mid-write) is cut off with a warning; a bad record followed by a valid one means acknowledged
 * data is damaged, so recovery refuses (WalCorruptError) rather than silently dropping writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

export const HEADER = 8;
export const ZEROS = Buffer.alloc(1024 * 1024);

export class WalCorruptError extends Error {
  override readonly name = 'WalCorruptError';
  readonly code = 'WAL_CORRUPT';
}

export class WalFailedError extends Error {
  override readonly name = 'WalFailedError';
  readonly code = 'WAL_FAILED';
}

export const segmentName = (seq: number) => `${seq.toString(16).padStart(16, '0')}.wal`;
const SEGMENT_RE = /^([0-9a-f]{16})\.wal$/;

export function encodeRecord(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER);
  return frame;
}

/** Length of a valid record at `pos`, or -1. Zero-length records are never written. */
function validAt(buf: Buffer, pos: number): number {
  if (buf.length - pos < HEADER) return -1;
  const n = buf.readUInt32LE(pos);
  if (n === 0 || n > buf.length - pos - HEADER) return -1;
  return crc32(buf.subarray(pos + HEADER, pos + HEADER + n)) === buf.readUInt32LE(pos + 4) ? n : -1;
}

/** Offset just past the last non-zero byte at or after `from`. */
function nonZeroEnd(buf: Buffer, from: number): number {
  let end = buf.length;
  while (end > from) {
    const start = Math.max(from, end - ZEROS.length);
    if (buf.compare(ZEROS, 0, end - start, start, end) !== 0) break;
    end = start;
  }
  while (end > from && buf[end - 1] === 0) end--;
  return end;
}

function hasValidRecord(buf: Buffer, from: number, to: number): boolean {
  for (let p = from; p + HEADER < to; p++) if (validAt(buf, p) > 0) return true;
  return false;
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Lists segment sequence numbers in `dir`, ascending. */
export function listSegments(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((n) => SEGMENT_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => parseInt(m[1], 16))
    .sort((a, b) => a - b);
}

export interface WalReadResult {
  records: Buffer[];
  /** Where appending continues: the last segment and the end of its valid records. */
  tail: { seq: number; offset: number } | undefined;
  /** Set when a torn record at the end was cut off. */
  truncated?: { seq: number; offset: number; droppedBytes: number };
}

/**
 * Reads every record of every segment in order, cutting off a bad tail in place.
 * Throws WalCorruptError when a bad record is followed by a valid one.
 */
export function readWal(dir: string): WalReadResult {
  const seqs = listSegments(dir);
  const bufs = seqs.map((s) => fs.readFileSync(path.join(dir, segmentName(s))));
  const records: Buffer[] = [];
  for (let i = 0; i < seqs.length; i++) {
    const buf = bufs[i];
    let pos = 0;
    for (let n = validAt(buf, 0); n > 0; n = validAt(buf, pos)) {
      records.push(buf.subarray(pos + HEADER, pos + HEADER + n));
      pos += HEADER + n;
    }
    const end = nonZeroEnd(buf, pos);
    if (end === pos) continue; // clean end: the rest is preallocated zeros
    const file = path.join(dir, segmentName(seqs[i]));
    if (hasValidRecord(buf, pos + 1, end) || bufs.slice(i + 1).some((b) => validAt(b, 0) > 0)) {
      throw new WalCorruptError(
        `write-ahead log ${file} is corrupt at byte ${pos} and valid records follow; refusing to start (restore the data directory from a backup)`,
      );
    }
    // A torn write at the end: zero it so appends continue right after the last good record.
    const fd = fs.openSync(file, 'r+');
    try {
      for (let p = pos; p < end; p += ZEROS.length) fs.writeSync(fd, ZEROS, 0, Math.min(ZEROS.length, end - p), p);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const s of seqs.slice(i + 1)) fs.rmSync(path.join(dir, segmentName(s)), { force: true });
    return { records, tail: { seq: seqs[i], offset: pos }, truncated: { seq: seqs[i], offset: pos, droppedBytes: end - pos } };
  }
  if (seqs.length === 0) return { records, tail: undefined };
  const last = seqs.length - 1;
  let offset = 0;
  for (let n = validAt(bufs[last], 0); n > 0; n = validAt(bufs[last], offset)) offset += HEADER + n;
  return { records, tail: { seq: seqs[last], offset } };
}
