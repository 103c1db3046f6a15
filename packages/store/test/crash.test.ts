// Crash test: acknowledged writes survive kill -9. Concurrent writers put increasing counters to their own keys;
// every 200 is recorded; the store is SIGKILLed while writes are in flight and restarted on the same data dir.
// After each restart: every acknowledged write is there (or a later one from the same writer, which may have
// reached the log without being acknowledged), revisions never go backwards, and new writes get higher revisions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTinyStore, waitFor, type RunningStore } from '@tinykube/testkit';
import { b64, ok, post, unb64, type JsonObject } from './wire.js';

const WRITERS = 8;
const ROUNDS = 3;
const ACKS_PER_ROUND = 300;
/** Small, so every round crosses several snapshots + WAL rotations and a kill can land in the middle of one. */
const STORE_ARGS = ['--snapshot-count', '100'];

interface Ack {
  value: number;
  revision: number;
}

const keyOf = (w: number) => `/crash/writer-${w}`;

describe('tinykube-store crash recovery (kill -9)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tk-store-crash-'));
  let store: RunningStore | undefined;
  /** Last acknowledged write per writer, and the highest value each writer ever sent. */
  const acked = new Map<number, Ack>();
  const attempted = new Map<number, number>();
  let maxAckedRevision = 0;

  afterAll(async () => {
    await store?.close({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function verifyRecovered(url: string): Promise<number> {
    for (const [w, ack] of acked) {
      const r = await ok(url, '/v3/kv/range', { key: b64(keyOf(w)) });
      const kv = (r.kvs as JsonObject[] | undefined)?.[0];
      expect(kv, `writer ${w} lost its key (acked value ${ack.value} at revision ${ack.revision})`).toBeDefined();
      const value = Number(unb64(kv!.value).split(':')[1]);
      const mod = Number(kv!.mod_revision);
      expect(value, `writer ${w}`).toBeGreaterThanOrEqual(ack.value);
      expect(value, `writer ${w}: a value it never sent`).toBeLessThanOrEqual(attempted.get(w) ?? 0);
      if (value === ack.value) expect(mod, `writer ${w} revision`).toBe(ack.revision);
      else expect(mod, `writer ${w} revision`).toBeGreaterThan(ack.revision);
    }
    const header = (await ok(url, '/v3/kv/range', { key: b64('/crash/'), range_end: b64('/crash0'), count_only: true })).header as JsonObject;
    const revision = Number(header.revision);
    expect(revision).toBeGreaterThanOrEqual(maxAckedRevision);
    return revision;
  }

  /** Runs the writers until `stop()` says so; resolves with how many loops ended on a failed (in-flight) request. */
  function runWriters(url: string, stop: () => boolean, onAck: () => void): Promise<number> {
    let cutOff = 0;
    const loop = async (w: number) => {
      let next = (attempted.get(w) ?? 0) + 1;
      while (!stop()) {
        attempted.set(w, next);
        let status = 0;
        let body: JsonObject | undefined;
        try {
          const r = await post(url, '/v3/kv/put', { key: b64(keyOf(w)), value: b64(`${w}:${next}`) });
          status = r.status;
          body = r.body as JsonObject;
        } catch {
          cutOff++; // the server died mid-request: not acknowledged
          return;
        }
        if (status !== 200) {
          cutOff++;
          return;
        }
        const revision = Number((body.header as JsonObject).revision);
        const prev = acked.get(w);
        // A writer's own acknowledged writes must get increasing revisions.
        if (prev) expect(revision).toBeGreaterThan(prev.revision);
        acked.set(w, { value: next, revision });
        maxAckedRevision = Math.max(maxAckedRevision, revision);
        onAck();
        next++;
      }
    };
    return Promise.all(Array.from({ length: WRITERS }, (_, w) => loop(w))).then(() => cutOff);
  }

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: acknowledged writes survive kill -9 and revisions stay monotonic`, async () => {
      store = await startTinyStore({ dataDir, args: STORE_ARGS });
      const url = store.url;
      const recoveredRevision = await verifyRecovered(url);

      let acksThisRound = 0;
      let killing = false;
      const writers = runWriters(url, () => killing, () => acksThisRound++);
      await waitFor(() => acksThisRound >= ACKS_PER_ROUND, { what: `${ACKS_PER_ROUND} acknowledged writes`, timeoutMs: 30_000 });
      const lastRevisionBeforeKill = maxAckedRevision;
      expect(lastRevisionBeforeKill).toBeGreaterThan(recoveredRevision);
      // Kill while the writers still have requests in flight (they stop at their next error or loop check).
      const dying = store.proc.kill9();
      killing = true;
      await dying;
      // The kill must have cut off writes in flight, or this round tested a clean stop, not a crash.
      expect(await writers).toBeGreaterThan(0);
      await store.close({ keepData: true });
      store = undefined;

      // Restart on the same data dir and check everything acknowledged is there.
      store = await startTinyStore({ dataDir, args: STORE_ARGS });
      const after = await verifyRecovered(store.url);
      const r = await post(store.url, '/v3/kv/put', { key: b64('/crash/probe'), value: b64(`round-${round}`) });
      expect(r.status).toBe(200);
      expect(Number(((r.body as JsonObject).header as JsonObject).revision)).toBeGreaterThan(Math.max(after, maxAckedRevision));
      await store.close({ keepData: true });
      store = undefined;
    });
  }
});
