import { LineSplitter } from '@tinykube/client';
import { waitFor } from './wait.js';

// Raw watch streams for tests and benchmarks: fetch (the test dispatcher carries TLS and the admin's certificate)
// and the client's NDJSON splitter, with no client library in between, so what a test sees is the apiserver's wire.

/** Reads a watch stream until `until` returns true for the events so far, the stream ends, or `timeoutMs` passes. */
export async function readWatch(url: string, until: (events: any[]) => boolean, timeoutMs = 10_000): Promise<any[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const res = await fetch(url, { signal: ac.signal });
    const lines = new LineSplitter();
    for await (const chunk of res.body!) {
      for (const line of lines.push(chunk)) events.push(JSON.parse(line));
      if (until(events)) break;
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}

export interface OpenWatch {
  events: any[];
  /** resolves once the response headers arrived (the watch is registered) */
  ready: Promise<void>;
  waitFor(pred: (evs: any[]) => boolean, what: string): Promise<void>;
  close(): void;
}

/** Opens a watch and collects its events while the test acts. */
export function openWatch(url: string): OpenWatch {
  const ac = new AbortController();
  const events: any[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => { resolveReady = r; });
  void (async () => {
    try {
      const res = await fetch(url, { signal: ac.signal });
      resolveReady();
      const lines = new LineSplitter();
      for await (const chunk of res.body!) for (const line of lines.push(chunk)) events.push(JSON.parse(line));
    } catch { resolveReady(); }
  })();
  return {
    events, ready,
    waitFor: (pred, what) => waitFor(() => pred(events), { timeoutMs: 10_000, what }).then(() => undefined),
    close: () => ac.abort(),
  };
}
