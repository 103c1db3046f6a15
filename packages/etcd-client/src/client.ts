// EtcdClient: the KV, compare-and-swap, compaction, lease, watch and status verbs of etcd v3's JSON gateway.
// Works unchanged against a real etcd and against tinykube-store.
import { z } from 'zod';
import {
  decodeDelete,
  decodeHeader,
  decodePut,
  decodeRange,
  decodeTxnResponses,
  encodeCompare,
  encodeDelete,
  encodePut,
  encodeRange,
  encodeTxnOp,
  num,
  str64,
  wireDelete,
  wireHeader,
  wireHeaderOnly,
  wirePut,
  wireRange,
  wireTxn,
} from './codec.js';
import { keepAliveLoop, leaseGrant, leaseKeepAliveOnce, leaseList, leaseRevoke, leaseTimeToLive, type KeepAliveHandle } from './lease.js';
import { Transport } from './transport.js';
import type {
  CasResult,
  Compare,
  DeleteResult,
  EtcdClientOptions,
  KeyValue,
  LeaseInfo,
  LeaseTimeToLive,
  PutResult,
  RangeOptions,
  RangeResult,
  ResponseHeader,
  StatusResult,
  TxnOp,
  TxnResult,
  WatchBatch,
  WatchOptions,
} from './types.js';
import { watchStream } from './watch.js';

const wireStatus = z.object({
  header: wireHeader.optional(),
  version: z.string().optional(),
  dbSize: z.union([z.string(), z.number()]).optional(),
  leader: z.union([z.string(), z.number()]).optional(),
  raftTerm: z.union([z.string(), z.number()]).optional(),
  raftIndex: z.union([z.string(), z.number()]).optional(),
});

type Key = string | Buffer;

function firstRange(r: TxnResult): KeyValue | undefined {
  const op = r.responses[0];
  return op && 'range' in op ? op.range.kvs[0] : undefined;
}

export class EtcdClient {
  private readonly transport: Transport;
  private readonly keepAlives = new Set<KeepAliveHandle>();

  constructor(opts: EtcdClientOptions) {
    this.transport = new Transport(opts.endpoints, opts.requestTimeoutMs ?? 10_000, opts.tls);
  }

  async range(key: Key, opts: RangeOptions = {}): Promise<RangeResult> {
    return decodeRange(await this.transport.post('/v3/kv/range', encodeRange(key, opts), wireRange));
  }

  async get(key: Key, opts: { revision?: number } = {}): Promise<KeyValue | undefined> {
    return (await this.range(key, opts)).kvs[0];
  }

  async put(key: Key, value: Key, opts: { lease?: string; prevKv?: boolean; ignoreValue?: boolean; ignoreLease?: boolean } = {}): Promise<PutResult> {
    return decodePut(await this.transport.post('/v3/kv/put', encodePut(key, value, opts), wirePut));
  }

  async delete(key: Key, opts: { rangeEnd?: Key; prefix?: boolean; prevKv?: boolean } = {}): Promise<DeleteResult> {
    return decodeDelete(await this.transport.post('/v3/kv/deleterange', encodeDelete(key, opts), wireDelete));
  }

  async txn(req: { compare?: Compare[]; success?: TxnOp[]; failure?: TxnOp[] }): Promise<TxnResult> {
    const body: Record<string, unknown> = {};
    if (req.compare?.length) body.compare = req.compare.map(encodeCompare);
    if (req.success?.length) body.success = req.success.map(encodeTxnOp);
    if (req.failure?.length) body.failure = req.failure.map(encodeTxnOp);
    const r = await this.transport.post('/v3/kv/txn', body, wireTxn);
    return { header: decodeHeader(r.header), succeeded: r.succeeded ?? false, responses: decodeTxnResponses(r.responses) };
  }

  /** create-if-absent: txn mod_revision(key)==0 → put, else range. */
  async create(key: Key, value: Key, opts: { lease?: string } = {}): Promise<CasResult> {
    return this.casPut(key, value, 0, opts);
  }

  /** compare-and-swap update on mod_revision; on failure returns the current kv (undefined if deleted). */
  async update(key: Key, value: Key, expectedModRevision: number, opts: { lease?: string } = {}): Promise<CasResult> {
    return this.casPut(key, value, expectedModRevision, opts);
  }

  /**
   * delete if mod_revision matches (or unconditionally when expectedModRevision is undefined).
   * ok:false+current on mismatch; ok:false, no current if absent. revision = the delete's revision.
   */
  async deleteIf(key: Key, expectedModRevision?: number): Promise<CasResult & { prevKv?: KeyValue }> {
    if (expectedModRevision === undefined) {
      const r = await this.delete(key, { prevKv: true });
      if (r.deleted === 0) return { ok: false };
      return { ok: true, revision: r.header.revision, prevKv: r.prevKvs[0] };
    }
    const r = await this.txn({
      compare: [{ key, target: 'MOD', result: 'EQUAL', modRevision: expectedModRevision }],
      success: [{ deleteRange: { key, prevKv: true } }],
      failure: [{ range: { key } }],
    });
    if (!r.succeeded) {
      const current = firstRange(r);
      return current ? { ok: false, current } : { ok: false };
    }
    const op = r.responses[0];
    const del = op && 'deleteRange' in op ? op.deleteRange : undefined;
    // expectedModRevision 0 matches an absent key; deleting it deletes nothing.
    if (!del || del.deleted === 0) return { ok: false };
    return { ok: true, revision: r.header.revision, prevKv: del.prevKvs[0] };
  }

  async compact(revision: number, opts: { physical?: boolean } = {}): Promise<ResponseHeader> {
    const body: Record<string, unknown> = { revision: String(revision) };
    if (opts.physical) body.physical = true;
    return decodeHeader((await this.transport.post('/v3/kv/compaction', body, wireHeaderOnly)).header);
  }

  /**
   * Async iterator of batches. Reconnects (from last seen revision + 1) after a broken connection; ends when
   * opts.signal aborts; throws EtcdError (isCompacted, with compactRevision) if the start revision is compacted.
   */
  watch(key: Key, opts: WatchOptions = {}): AsyncIterable<WatchBatch> {
    return watchStream(this.transport, key, opts);
  }

  leaseGrant(ttlSeconds: number, id?: string): Promise<LeaseInfo> {
    return leaseGrant(this.transport, ttlSeconds, id);
  }

  leaseRevoke(id: string): Promise<void> {
    return leaseRevoke(this.transport, id);
  }

  /** ttl 0 when the lease is gone. */
  leaseKeepAliveOnce(id: string): Promise<LeaseInfo> {
    return leaseKeepAliveOnce(this.transport, id);
  }

  /** ttl -1 when the lease does not exist (etcd's answer). */
  leaseTimeToLive(id: string, opts: { keys?: boolean } = {}): Promise<LeaseTimeToLive> {
    return leaseTimeToLive(this.transport, id, opts);
  }

  leases(): Promise<string[]> {
    return leaseList(this.transport);
  }

  /** Keeps a lease alive every ttl/3 s until stop(); calls onLost if the lease is gone. */
  keepAlive(id: string, opts: { onLost?: (err: unknown) => void } = {}): { stop(): void } {
    const handle = keepAliveLoop(this.transport, id, {
      onLost: (err) => {
        this.keepAlives.delete(handle);
        opts.onLost?.(err);
      },
    });
    this.keepAlives.add(handle);
    return {
      stop: () => {
        this.keepAlives.delete(handle);
        handle.stop();
      },
    };
  }

  async status(): Promise<StatusResult> {
    const r = await this.transport.post('/v3/maintenance/status', {}, wireStatus);
    return {
      header: decodeHeader(r.header),
      version: r.version ?? '',
      dbSize: num(r.dbSize),
      leader: str64(r.leader),
      raftTerm: str64(r.raftTerm),
      raftIndex: str64(r.raftIndex),
    };
  }

  /** Stops keep-alive loops and closes every connection (open watches end with their connection). */
  async close(): Promise<void> {
    for (const h of this.keepAlives) h.stop();
    this.keepAlives.clear();
    await this.transport.close();
  }

  private async casPut(key: Key, value: Key, expectedModRevision: number, opts: { lease?: string }): Promise<CasResult> {
    const r = await this.txn({
      compare: [{ key, target: 'MOD', result: 'EQUAL', modRevision: expectedModRevision }],
      success: [{ put: { key, value, lease: opts.lease } }],
      failure: [{ range: { key } }],
    });
    if (r.succeeded) return { ok: true, revision: r.header.revision };
    const current = firstRange(r);
    return current ? { ok: false, current } : { ok: false };
  }
}
