/**
 * The store's `/metrics`, under etcd's own names and types (checked against etcd 3.4's output by the
 * differential test), so dashboards and alerts written for etcd read tinykube-store as they read etcd.
 * A single member is always its own leader. Prometheus text format, written by hand (the store has
 * no dependencies beyond pino, commander and zod).
 */
import type { RequestOp } from './codec.js';

/** etcd's WAL fsync buckets: 1 ms doubling 14 times. */
const FSYNC_BUCKETS = Array.from({ length: 14 }, (_, i) => 0.001 * 2 ** i);

/** What the store reports at scrape time. */
export interface StoreGauges {
  version: string;
  currentRev: number;
  compactRev: number;
  keys: number;
  watchers: number;
  watchStreams: number;
  dbSizeBytes: number;
  appliedIndex: number;
}

export class StoreMetrics {
  puts = 0;
  deletes = 0;
  ranges = 0;
  txns = 0;
  walWriteBytes = 0;
  private readonly fsyncCounts = new Array<number>(FSYNC_BUCKETS.length).fill(0);
  private fsyncCount = 0;
  private fsyncSum = 0;

  /** One WAL write of `bytes` made durable by an fdatasync that took `seconds`. */
  walSynced(seconds: number, bytes: number): void {
    this.walWriteBytes += bytes;
    this.fsyncCount++;
    this.fsyncSum += seconds;
    for (let i = 0; i < FSYNC_BUCKETS.length; i++) if (seconds <= FSYNC_BUCKETS[i]!) this.fsyncCounts[i]!++;
  }

  /**
   * Counts one KV transaction's operations as etcd's metricsTxnWrite does: each range, put and delete,
   * and the transaction itself when it held more than one (a nested txn counts as one more).
   */
  countTxn(ops: RequestOp[]): void {
    let n = 0;
    for (const op of ops) {
      if (op.request_put) this.puts++;
      else if (op.request_delete_range) this.deletes++;
      else if (op.request_range) this.ranges++;
      else if (op.request_txn) this.txns++;
      n++;
    }
    if (n > 1) this.txns++;
  }

  render(g: StoreGauges): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number, labels = ''): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${labels} ${value}`);
    };
    metric('etcd_server_has_leader', 'gauge', 'Whether or not a leader exists. 1 is existence, 0 is not.', 1);
    metric('etcd_server_is_leader', 'gauge', 'Whether or not this member is a leader. 1 if is, 0 otherwise.', 1);
    metric('etcd_server_leader_changes_seen_total', 'counter', 'The number of leader changes seen.', 1);
    metric('etcd_server_version', 'gauge', 'Which version is running. 1 for \'server_version\' label with current version.', 1, `{server_version="${g.version}"}`);
    metric('etcd_server_proposals_committed_total', 'gauge', 'The total number of consensus proposals committed.', g.appliedIndex);
    metric('etcd_server_proposals_applied_total', 'gauge', 'The total number of consensus proposals applied.', g.appliedIndex);
    for (const prefix of ['etcd_mvcc', 'etcd_debugging_mvcc']) {
      metric(`${prefix}_put_total`, 'counter', 'Total number of puts seen by this member.', this.puts);
      metric(`${prefix}_delete_total`, 'counter', 'Total number of deletes seen by this member.', this.deletes);
      metric(`${prefix}_range_total`, 'counter', 'Total number of ranges seen by this member.', this.ranges);
      metric(`${prefix}_txn_total`, 'counter', 'Total number of txns seen by this member.', this.txns);
    }
    metric('etcd_debugging_mvcc_keys_total', 'gauge', 'Total number of keys.', g.keys);
    metric('etcd_debugging_mvcc_current_revision', 'gauge', 'The current revision of store.', g.currentRev);
    metric('etcd_debugging_mvcc_compact_revision', 'gauge', 'The revision of the last compaction in store.', g.compactRev);
    metric('etcd_debugging_mvcc_watcher_total', 'gauge', 'Total number of watchers.', g.watchers);
    metric('etcd_debugging_mvcc_watch_stream_total', 'gauge', 'Total number of watch streams.', g.watchStreams);
    metric('etcd_mvcc_db_total_size_in_bytes', 'gauge', 'Total size of the underlying database physically allocated in bytes.', g.dbSizeBytes);
    metric('etcd_disk_wal_write_bytes_total', 'gauge', 'Total number of bytes written in WAL.', this.walWriteBytes);
    const h = 'etcd_disk_wal_fsync_duration_seconds';
    out.push(`# HELP ${h} The latency distributions of fsync called by WAL.`, `# TYPE ${h} histogram`);
    FSYNC_BUCKETS.forEach((le, i) => out.push(`${h}_bucket{le="${Number(le.toPrecision(4))}"} ${this.fsyncCounts[i]}`));
    out.push(`${h}_bucket{le="+Inf"} ${this.fsyncCount}`, `${h}_sum ${this.fsyncSum}`, `${h}_count ${this.fsyncCount}`);
    return `${out.join('\n')}\n`;
  }
}
