import { LineSplitter } from '@tinykube/client';
/** Small helpers shared by the `npm run bench:*` scripts. */

/** Reads `--name N` from argv, or the default. */
export function numFlag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** The p-th percentile (0–100) of already sorted values; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface LatencySummary { n: number; p50: number; p99: number; max: number }

/** Sorts the samples (milliseconds) and summarises them. */
export function summarize(samples: number[]): LatencySummary {
  const s = Float64Array.from(samples).sort();
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : NaN };
}

/** Resident set size of a process in MB, from /proc/<pid>/status (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; stops early at the deadline. */
export async function runConcurrent(total: number, concurrency: number, deadlineMs: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const end = Date.now() + deadlineMs;
  const worker = async () => {
    while (next < total && Date.now() < end) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return next;
}

/**
 * Opens a Kubernetes watch (GET url with watch=true: chunked, one JSON event per line) and calls `onEvent` for each
 * event as soon as it arrives — no client library in between, so what a bench times is the apiserver's delivery.
 * `opened` resolves once the response headers arrived (the watch is registered); `close()` ends the stream.
 */
export function watchStream<E = { type: string; object: unknown }>(
  url: string,
  onEvent: (ev: E) => void,
  agent?: import('node:http').Agent,
): { opened: Promise<void>; close(): void } {
  let req: import('node:http').ClientRequest | undefined;
  let closed = false;
  const opened = import('node:http').then((http) => new Promise<void>((resolve, reject) => {
    if (closed) return resolve();
    req = http.get(url, { agent }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${url}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      const lines = new LineSplitter();
      res.on('data', (chunk: Buffer) => {
        for (const line of lines.push(chunk)) onEvent(JSON.parse(line) as E);
      });
    });
    req.on('error', reject);
  }));
  opened.catch(() => {});
  return { opened, close: () => { closed = true; req?.destroy(); } };
}
