/**
 * Automatic compaction, with etcd's two policies:
 * - revision: every check, compact to (current revision - N) — keeps the last N revisions;
 * - periodic: keep history for a duration T; samples (time, revision) pairs and compacts to the
 *   newest revision that is at least T old.
 * Flag parsing follows etcd: `--auto-compaction-retention` is a revision count in revision mode,
 * and a Go-style duration ("5m", "1h30m") or a number of hours in periodic mode.
 */
import type { Clock } from './lease.js';

export type AutoCompactionConfig = { mode: 'revision'; retention: number } | { mode: 'periodic'; retentionMs: number };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations ("90s", "5m", "1h30m", "1.5h"); a bare number means hours (etcd). */
export function parseRetention(text: string): number {
  const t = text.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(t)) return Number(t) * UNIT_MS.h;
  const re = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== t.length || t.length === 0) throw new Error(`invalid auto-compaction retention ${JSON.stringify(text)}`);
  return total;
}

/** Builds the policy from the two flags; undefined when automatic compaction is off. */
export function autoCompactionConfig(mode: string, retention: string | undefined): AutoCompactionConfig | undefined {
  if (retention === undefined || retention === '' || retention === '0') return undefined;
  if (mode === 'revision') {
    const n = Number(retention);
    if (!Number.isInteger(n) || n < 0) throw new Error(`invalid revision retention ${JSON.stringify(retention)}`);
    return n === 0 ? undefined : { mode: 'revision', retention: n };
  }
  if (mode === 'periodic') {
    const ms = parseRetention(retention);
    return ms <= 0 ? undefined : { mode: 'periodic', retentionMs: ms };
  }
  throw new Error(`invalid auto-compaction mode ${JSON.stringify(mode)} (want revision or periodic)`);
}

export interface Compactable {
  readonly durableRev: number;
  readonly compactRev: number;
  /** Compacts at `rev`; rejects like a client request would (already compacted, future). */
  compact(rev: number): Promise<unknown>;
}

/** Decides the target revision; kept free of timers so tests drive it with a fake clock. */
export class AutoCompactor {
  private samples: { at: number; rev: number }[] = [];

  constructor(
    private readonly cfg: AutoCompactionConfig,
    private readonly clock: Clock,
  ) {}

  /** How often the owner should call tick(). */
  get intervalMs(): number {
    if (this.cfg.mode === 'revision') return 5 * 60_000; // etcd checks every 5 minutes
    return Math.max(1000, Math.min(this.cfg.retentionMs / 10, 3_600_000));
  }

  /** The revision to compact to now, if any. */
  target(current: number, compacted: number): number | undefined {
    let rev: number | undefined;
    if (this.cfg.mode === 'revision') {
      rev = current - this.cfg.retention;
    } else {
      const now = this.clock.now();
      this.samples.push({ at: now, rev: current });
      const cutoff = now - this.cfg.retentionMs;
      let idx = -1;
      for (let i = 0; i < this.samples.length; i++) if (this.samples[i].at <= cutoff) idx = i;
      if (idx >= 0) {
        rev = this.samples[idx].rev;
        this.samples = this.samples.slice(idx);
      }
    }
    return rev !== undefined && rev > 0 && rev > compacted ? rev : undefined;
  }

  /** One check: compacts the store when the policy says so. Returns the revision compacted to. */
  async tick(store: Compactable): Promise<number | undefined> {
    const rev = this.target(store.durableRev, store.compactRev);
    if (rev === undefined) return undefined;
    await store.compact(rev);
    return rev;
  }
}
