// `npm run bench:store` — tinykube-store vs a real etcd 3.4.23 on this machine, driven by the same EtcdClient.
//
// Run as: node --conditions=tinykube-src --import tsx packages/store/bench/store.bench.ts [--only store|etcd]
//
// - Our store runs from its TypeScript source via @tinykube/testkit's startTinyStore (tsx transpiles once at
//   start-up; the steady state is the same JavaScript a dist build would run), with its default durability
//   (fdatasync before every acknowledgement). etcd always fsyncs. Both keep their data in a temp dir on the same disk.
// - Both serve https with client-certificate auth (testkit's PKI, made for this process by ensureTestPki), as the
//   apiserver reaches them in a cluster: the client presents the apiserver's etcd client cert to each, so the
//   ours/etcd ratios compare like with like.
// - Workloads (128-byte values): sequential puts, puts with 64 in flight, sequential single-key ranges, and watch
//   delivery latency to 100 watchers (the value carries the send time; latency = receive time − send time, per
//   watcher per event, on one monotonic clock, with one put in flight so latency includes the commit).
// - Every phase stops at its count or its time cap, whichever comes first, and the table shows the counts done:
//   on 2 shared vCPUs one client process decoding 100 watch streams is itself the bottleneck, so the watch writer
//   is paced (default 500 events/s, 5,000 events; --watch-events N --watch-rate R to change, e.g. 10000 and 0 for
//   unpaced). Events not delivered within the drain cap count as infinitely late (so they turn p99 into a MISS).
// - Flags: --only store|etcd runs one side.
// - Prints a side-by-side table with ours/etcd ratios and the targets (≥1.5x etcd puts both ways, watch p99 ≤ 5 ms)
//   marked PASS/MISS. Exit code is 0 unless a run fails outright; the table is the result.
// Sizes are chosen so both backends together finish in well under two minutes on 2 vCPUs.
import { ensureTestPki, startRealEtcd, startTinyStore, type RunningStore } from '@tinykube/testkit';
import { EtcdClient } from '@tinykube/etcd-client';

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const SEQ_PUTS = flag('seq-puts', 2_000);
const CONC_PUTS = flag('conc-puts', 10_000);
const IN_FLIGHT = 64;
const RANGES = flag('ranges', 5_000);
const WATCHERS = flag('watchers', 100);
const WATCH_EVENTS = flag('watch-events', 5_000);
const WATCH_RATE = flag('watch-rate', 500); // events/s; 0 = as fast as sequential puts go
const VALUE_BYTES = 128;
/** Per-phase time caps (ms), so a slow or loaded machine still finishes in about two minutes. */
const CAP = { seq: 8_000, conc: 10_000, ranges: 5_000, watchSend: 15_000, watchDrain: 10_000 };

interface Results {
  counts: string;
  seqPutsPerSec: number;
  seqPutP99Ms: number;
  concPutsPerSec: number;
  rangesPerSec: number;
  watchP50Ms: number;
  watchP99Ms: number;
  watchMaxMs: number;
}

const value = (tag: string) => Buffer.from(tag.padEnd(VALUE_BYTES, '.'));
const nowNs = () => process.hrtime.bigint();
const ms = (ns: bigint | number) => Number(ns) / 1e6;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function sequentialPuts(c: EtcdClient): Promise<{ n: number; perSec: number; p99: number }> {
  const lat = new Float64Array(SEQ_PUTS);
  const v = value('seq');
  const t0 = nowNs();
  const deadline = Date.now() + CAP.seq;
  let i = 0;
  for (; i < SEQ_PUTS && Date.now() < deadline; i++) {
    const s = nowNs();
    await c.put(`/bench/seq/${i}`, v);
    lat[i] = ms(nowNs() - s);
  }
  const secs = ms(nowNs() - t0) / 1000;
  return { n: i, perSec: i / secs, p99: percentile(lat.subarray(0, i).sort(), 99) };
}

async function concurrentPuts(c: EtcdClient): Promise<{ n: number; perSec: number }> {
  const v = value('conc');
  const deadline = Date.now() + CAP.conc;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < CONC_PUTS && Date.now() < deadline) {
      const i = next++;
      await c.put(`/bench/conc/${i % 1000}`, v);
      done++;
    }
  };
  const t0 = nowNs();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { n: done, perSec: done / (ms(nowNs() - t0) / 1000) };
}

async function ranges(c: EtcdClient): Promise<{ n: number; perSec: number }> {
  await c.put('/bench/range/key', value('range'));
  const deadline = Date.now() + CAP.ranges;
  const t0 = nowNs();
  let i = 0;
  for (; i < RANGES && Date.now() < deadline; i++) await c.range('/bench/range/key');
  return { n: i, perSec: i / (ms(nowNs() - t0) / 1000) };
}

async function watchLatency(c: EtcdClient): Promise<{ sent: number; delivered: number; p50: number; p99: number; max: number }> {
  const samples = new Float64Array(WATCHERS * WATCH_EVENTS);
  let received = 0;
  let warm = 0;
  const ac = new AbortController();
  const start = (await c.put('/bench/watch/warmup', value('warmup'))).header.revision + 1;
  let onProgress: () => void = () => {};
  const loops = Array.from({ length: WATCHERS }, async () => {
    for await (const batch of c.watch('/bench/watch/', { prefix: true, startRevision: start, signal: ac.signal })) {
      const at = nowNs();
      for (const ev of batch.events) {
        const text = ev.kv.value.toString('latin1');
        if (text.startsWith('warmup')) warm++;
        else samples[received++] = ms(at - BigInt(text.slice(0, text.indexOf('.'))));
      }
      onProgress();
    }
  });
  /** Resolves true when cond holds, false when `capMs` passes first. */
  const until = (cond: () => boolean, capMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        onProgress = () => {};
        resolve(false);
      }, capMs);
      onProgress = () => {
        if (!cond()) return;
        clearTimeout(timer);
        onProgress = () => {};
        resolve(true);
      };
      onProgress();
    });
  // Every watcher must be established (it has seen an event) before measuring.
  await c.put('/bench/watch/warmup', value('warmup'));
  if (!(await until(() => warm >= WATCHERS, 30_000))) throw new Error(`only ${warm}/${WATCHERS} watchers established`);
  const t0 = Date.now();
  let sent = 0;
  for (; sent < WATCH_EVENTS && Date.now() - t0 < CAP.watchSend; sent++) {
    if (WATCH_RATE > 0) {
      const due = t0 + (sent * 1000) / WATCH_RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await c.put(`/bench/watch/k${sent % 100}`, value(String(nowNs())));
  }
  await until(() => received >= WATCHERS * sent, CAP.watchDrain);
  ac.abort();
  await Promise.allSettled(loops);
  // Undelivered events count as infinitely late.
  const all = new Float64Array(WATCHERS * sent).fill(Infinity);
  all.set(samples.subarray(0, Math.min(received, all.length)));
  all.sort();
  return { sent, delivered: received, p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1] };
}

async function run(name: string, start: () => Promise<RunningStore>): Promise<Results> {
  process.stdout.write(`${name}: starting… `);
  const server = await start();
  if (!server.tls) throw new Error(`${name} did not start with TLS`);
  const client = new EtcdClient({ endpoints: [server.url], requestTimeoutMs: 30_000, tls: server.tls });
  try {
    await client.put('/bench/warm', value('warm')); // connection + first-write costs out of the numbers
    process.stdout.write('sequential puts… ');
    const seq = await sequentialPuts(client);
    process.stdout.write(`${IN_FLIGHT} in flight… `);
    const conc = await concurrentPuts(client);
    process.stdout.write('ranges… ');
    const rps = await ranges(client);
    process.stdout.write('watch… ');
    const w = await watchLatency(client);
    process.stdout.write('done\n');
    return {
      counts: `${seq.n} seq puts, ${conc.n} concurrent puts, ${rps.n} ranges, ${w.sent} watch events (${w.delivered}/${w.sent * WATCHERS} deliveries)`,
      seqPutsPerSec: seq.perSec,
      seqPutP99Ms: seq.p99,
      concPutsPerSec: conc.perSec,
      rangesPerSec: rps.perSec,
      watchP50Ms: w.p50,
      watchP99Ms: w.p99,
      watchMaxMs: w.max,
    };
  } finally {
    await client.close();
    await server.close();
  }
}

function table(ours: Results | undefined, etcd: Results | undefined): string {
  type Row = [string, Exclude<keyof Results, 'counts'>, 'higher' | 'lower', string, (o: number, e: number) => boolean | undefined];
  const rows: Row[] = [
    ['sequential puts/s', 'seqPutsPerSec', 'higher', '>= 1.5x etcd', (o, e) => o >= 1.5 * e],
    ['sequential put p99 (ms)', 'seqPutP99Ms', 'lower', '', () => undefined],
    [`puts/s, ${IN_FLIGHT} in flight`, 'concPutsPerSec', 'higher', '>= 1.5x etcd', (o, e) => o >= 1.5 * e],
    ['single-key range/s (sequential)', 'rangesPerSec', 'higher', '', () => undefined],
    [`watch latency p50 (ms), ${WATCHERS} watchers`, 'watchP50Ms', 'lower', '', () => undefined],
    [`watch latency p99 (ms), ${WATCHERS} watchers`, 'watchP99Ms', 'lower', '<= 5 ms', (o) => o <= 5],
    ['watch latency max (ms)', 'watchMaxMs', 'lower', '', () => undefined],
  ];
  const fmt = (x: number | undefined) =>
    x === undefined || Number.isNaN(x) ? '-' : x === Infinity ? 'inf' : x >= 100 ? x.toFixed(0) : x.toFixed(2);
  const lines = [['metric', 'tinykube-store', 'etcd 3.4.23', 'ours/etcd', 'target', 'result']];
  for (const [label, key, , target, check] of rows) {
    const o = ours?.[key];
    const e = etcd?.[key];
    const ratio = o !== undefined && e !== undefined ? `${(o / e).toFixed(2)}x` : '-';
    let verdict = '';
    if (target && o !== undefined) {
      const r = e === undefined && target.includes('etcd') ? undefined : check(o, e ?? NaN);
      verdict = r === undefined ? '?' : r ? 'PASS' : 'MISS';
    }
    lines.push([label, fmt(o), fmt(e), ratio, target, verdict]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const onlyIdx = process.argv.indexOf('--only');
  const only = onlyIdx >= 0 ? process.argv[onlyIdx + 1] : undefined;
  await ensureTestPki();
  const t0 = Date.now();
  const ours = only === 'etcd' ? undefined : await run('tinykube-store', () => startTinyStore());
  const etcd = only === 'store' ? undefined : await run('etcd', () => startRealEtcd());
  const done = [ours && `tinykube-store: ${ours.counts}`, etcd && `etcd: ${etcd.counts}`].filter(Boolean).join('\n');
  process.stdout.write(`\n${table(ours, etcd)}\n\n${VALUE_BYTES}-byte values, ${WATCHERS} watchers, watch writer ` +
    `${WATCH_RATE > 0 ? `paced at ${WATCH_RATE}/s` : 'unpaced'}; TLS on (https, client-cert auth) for both stores; total ${((Date.now() - t0) / 1000).toFixed(1)} s\n${done}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
