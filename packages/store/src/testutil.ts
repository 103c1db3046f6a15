/** Helpers shared by this package's tests (not exported from index.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeBody, Messages, type DeleteRangeRequest, type PutRequest, type RangeRequest, type TxnRequest } from './codec.js';
import type { Clock } from './lease.js';
import type { WatchSink, Watcher } from './watch.js';

export const b64 = (s: string) => Buffer.from(s).toString('base64');

export function tmpDir(prefix = 'tk-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const putReq = (key: string, value: string, extra: Record<string, unknown> = {}): PutRequest =>
  decodeBody(Buffer.from(JSON.stringify({ key: b64(key), value: b64(value), ...extra })), Messages.put);
export const rangeReq = (key: string, extra: Record<string, unknown> = {}): RangeRequest =>
  decodeBody(Buffer.from(JSON.stringify({ key: b64(key), ...extra })), Messages.range);
export const deleteReq = (key: string, extra: Record<string, unknown> = {}): DeleteRangeRequest =>
  decodeBody(Buffer.from(JSON.stringify({ key: b64(key), ...extra })), Messages.deleteRange);
export const txnReq = (json: unknown): TxnRequest => decodeBody(Buffer.from(JSON.stringify(json)), Messages.txn);

export class FakeClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A watch sink that records parsed lines and can pretend to be backed up. */
export class RecordingSink implements WatchSink {
  lines: { result: Record<string, unknown> }[] = [];
  full = false;
  ended = false;
  write(line: string): boolean {
    this.lines.push(JSON.parse(line) as { result: Record<string, unknown> });
    return !this.full;
  }
  canceled(_w: Watcher): void {
    this.ended = true;
  }
  /** All events, in order, as "TYPE key@mod_revision". */
  events(): string[] {
    const out: string[] = [];
    for (const l of this.lines) {
      const evs = (l.result.events ?? []) as { type?: string; kv: { key: string; mod_revision: string } }[];
      for (const e of evs) out.push(`${e.type ?? 'PUT'} ${Buffer.from(e.kv.key, 'base64').toString()}@${e.kv.mod_revision}`);
    }
    return out;
  }
}
