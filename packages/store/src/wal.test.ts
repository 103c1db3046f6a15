import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSegments, readWal, segmentName, WalCorruptError, WalWriter } from './wal.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-wal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const rec = (i: number) => Buffer.from(`record-${i}`);
const texts = (r: { records: Buffer[] }) => r.records.map((x) => x.toString());

async function writeRecords(dir: string, n: number, opts = { segmentBytes: 4096 }): Promise<void> {
  const w = WalWriter.open(dir, undefined, opts);
  for (let i = 0; i < n; i++) await w.append(rec(i));
  await w.close();
}

describe.each(['sync', 'async'] as const)('WalWriter (%s)', (mode) => {
  it('persists records in order and reads them back', async () => {
    const dir = tmp();
    const w = WalWriter.open(dir, undefined, { segmentBytes: 4096, mode });
    for (let i = 0; i < 5; i++) await w.append(rec(i));
    await w.close();
    expect(texts(readWal(dir))).toEqual(['record-0', 'record-1', 'record-2', 'record-3', 'record-4']);
  });

  it('group-commits concurrent appends into few fdatasyncs', async () => {
    const dir = tmp();
    const w = WalWriter.open(dir, undefined, { segmentBytes: 1 << 20, mode });
    await Promise.all(Array.from({ length: 200 }, (_, i) => w.append(rec(i))));
    expect(w.syncs).toBeLessThan(10);
    await w.close();
    expect(readWal(dir).records).toHaveLength(200);
  });

  it('moves to a new preallocated segment when one is full, and continues after reopening', async () => {
    const dir = tmp();
    const w = WalWriter.open(dir, undefined, { segmentBytes: 256, mode });
    for (let i = 0; i < 40; i++) await w.append(rec(i));
    await w.close();
    expect(listSegments(dir).length).toBeGreaterThan(2);
    const first = readWal(dir);
    expect(first.records).toHaveLength(40);
    const again = WalWriter.open(dir, first.tail, { segmentBytes: 256, mode });
    await again.append(Buffer.from('after-reopen'));
    await again.close();
    expect(texts(readWal(dir)).slice(-2)).toEqual(['record-39', 'after-reopen']);
  });
});

describe('WAL recovery', () => {
  it('cuts off a torn record at the tail and keeps everything before it', async () => {
    const dir = tmp();
    await writeRecords(dir, 3);
    const file = path.join(dir, segmentName(1));
    const { tail } = readWal(dir);
    // a crash in the middle of the 4th write: header and half a payload
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from([20, 0, 0, 0, 1, 2, 3, 4, 0x61, 0x62]), 0, 10, tail?.offset);
    fs.closeSync(fd);
    const r = readWal(dir);
    expect(texts(r)).toEqual(['record-0', 'record-1', 'record-2']);
    expect(r.truncated).toMatchObject({ seq: 1, offset: tail?.offset });
    // the garbage is gone: a second read is clean
    expect(readWal(dir).truncated).toBeUndefined();
  });

  it('cuts off a record with a bad CRC at the tail', async () => {
    const dir = tmp();
    await writeRecords(dir, 3);
    const file = path.join(dir, segmentName(1));
    const buf = fs.readFileSync(file);
    const lastStart = 2 * (8 + 'record-0'.length);
    buf[lastStart + 9] ^= 0xff; // flip a payload byte of the last record
    fs.writeFileSync(file, buf);
    expect(texts(readWal(dir))).toEqual(['record-0', 'record-1']);
  });

  it('refuses to start when a bad record is followed by valid ones', async () => {
    const dir = tmp();
    await writeRecords(dir, 5);
    const file = path.join(dir, segmentName(1));
    const buf = fs.readFileSync(file);
    buf[8 + 2] ^= 0xff; // corrupt the first record's payload
    fs.writeFileSync(file, buf);
    expect(() => readWal(dir)).toThrow(WalCorruptError);
  });

  it('treats corruption in an older segment followed by a newer segment as fatal', async () => {
    const dir = tmp();
    await writeRecords(dir, 40, { segmentBytes: 256 });
    const file = path.join(dir, segmentName(1));
    const buf = fs.readFileSync(file);
    buf[8 + 2] ^= 0xff;
    fs.writeFileSync(file, buf);
    expect(() => readWal(dir)).toThrow(/corrupt at byte 0 and valid records follow/);
  });

  it('rotate() starts a new segment and removeBefore() deletes the covered ones', async () => {
    const dir = tmp();
    const w = WalWriter.open(dir, undefined, { segmentBytes: 4096 });
    await w.append(rec(0));
    const [seq] = await Promise.all([w.rotate(), w.append(rec(1))]);
    expect(seq).toBe(2);
    w.removeBefore(seq);
    await w.close();
    expect(listSegments(dir)).toEqual([2]);
    expect(texts(readWal(dir))).toEqual(['record-1']);
  });
});
