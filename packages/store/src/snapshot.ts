/**
 * Snapshots: the whole state (every key with all retained revisions, leases, the compacted
 * revision) in one file, written to a temp file, fsynced and renamed into place, so a crash
 * leaves either the old snapshot or the new one. `index` is the last WAL record it covers;
 * recovery replays the records after it.
 *
 * Also the small member metadata file (cluster/member IDs and the raft-like term).
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { KeyValue } from './mvcc.js';
import { fsyncDir } from './wal.js';

/** [modRev, sub, createRev, version, value b64 | null for a deletion, lease decimal] */
const Rev = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.string().nullable(), z.string()]);

export const SnapshotFile = z.object({
  format: z.literal(1),
  rev: z.number().int(),
  compactRev: z.number().int(),
  /** WAL records applied so far (the status raftIndex) */
  index: z.number().int(),
  leases: z.array(z.object({ id: z.string(), ttl: z.number().int() })),
  keys: z.array(z.object({ k: z.string(), revs: z.array(Rev) })),
});
export type SnapshotFile = z.infer<typeof SnapshotFile>;

export interface SnapshotState {
  rev: number;
  compactRev: number;
  index: number;
  leases: { id: bigint; ttl: number }[];
  histories: KeyValue[][];
}

const SNAPSHOT = 'snapshot.json';

/** Serializes state (synchronously, so it is a consistent point in time). */
export function serializeSnapshot(
  rev: number,
  compactRev: number,
  index: number,
  leases: Iterable<{ id: bigint; ttl: number }>,
  histories: Iterable<readonly KeyValue[]>,
): string {
  const keys: SnapshotFile['keys'] = [];
  for (const revs of histories) {
    if (revs.length === 0) continue;
    keys.push({
      k: revs[0].key.toString('base64'),
      revs: revs.map((kv) => [kv.modRev, kv.sub, kv.createRev, kv.version, kv.tombstone ? null : kv.value.toString('base64'), kv.lease.toString()]),
    });
  }
  const file: SnapshotFile = {
    format: 1,
    rev,
    compactRev,
    index,
    leases: [...leases].map((l) => ({ id: l.id.toString(), ttl: l.ttl })),
    keys,
  };
  return JSON.stringify(file);
}

/** Writes a serialized snapshot atomically (temp, fsync, rename, fsync dir). */
export async function writeSnapshot(dir: string, data: string): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
  const final = path.join(dir, SNAPSHOT);
  const tmp = `${final}.tmp`;
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, final);
  fsyncDir(dir);
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  readonly code = 'SNAPSHOT_INVALID';
}

/** Loads the snapshot, or undefined when there is none yet. */
export function loadSnapshot(dir: string): SnapshotState | undefined {
  const file = path.join(dir, SNAPSHOT);
  if (!fs.existsSync(file)) return undefined;
  let parsed: SnapshotFile;
  try {
    parsed = SnapshotFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    throw new SnapshotError(`snapshot ${file} is unreadable: ${(err as Error).message}`);
  }
  const empty = Buffer.alloc(0);
  return {
    rev: parsed.rev,
    compactRev: parsed.compactRev,
    index: parsed.index,
    leases: parsed.leases.map((l) => ({ id: BigInt(l.id), ttl: l.ttl })),
    histories: parsed.keys.map(({ k, revs }) => {
      const key = Buffer.from(k, 'base64');
      return revs.map(([modRev, sub, createRev, version, value, lease]) => ({
        key,
        modRev,
        sub,
        createRev,
        version,
        value: value === null ? empty : Buffer.from(value, 'base64'),
        lease: BigInt(lease),
        tombstone: value === null,
      }));
    }),
  };
}

// ---- member metadata ----

export const MemberMeta = z.object({
  clusterId: z.string().regex(/^[0-9]+$/),
  memberId: z.string().regex(/^[0-9]+$/),
  /** Bumped on every start, like raft terms after a restart of a single-member etcd. */
  term: z.number().int(),
});
export type MemberMeta = z.infer<typeof MemberMeta>;

const META = 'member.json';
const randomUint64 = () => randomBytes(8).readBigUInt64BE(0).toString();

/** Loads (or creates) the member metadata and persists the next term atomically. */
export function startMember(dataDir: string): MemberMeta {
  const file = path.join(dataDir, META);
  let meta: MemberMeta;
  if (fs.existsSync(file)) {
    try {
      const prev = MemberMeta.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      meta = { ...prev, term: prev.term + 1 };
    } catch (err) {
      throw new SnapshotError(`member metadata ${file} is unreadable: ${(err as Error).message}`);
    }
  } else {
    meta = { clusterId: randomUint64(), memberId: randomUint64(), term: 2 };
  }
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(meta));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(dataDir);
  return meta;
}
