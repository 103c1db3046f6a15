import { waitFor, FakeClock } from '@tinykube/testkit';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeApiServer, leasesRes, sharedFakeApiServer } from '../test/fake-apiserver.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import { RestClient } from './rest.js';

let server: FakeApiServer;
let client: RestClient;
let clock: FakeClock;
let leaseName: string;
let seq = 0;

const shared = sharedFakeApiServer();
beforeAll(() => {
  server = shared.server();
  client = shared.client();
});
beforeEach(() => {
  clock = new FakeClock();
  leaseName = `lease-${++seq}`;
});

interface Candidate {
  elector: LeaderElector;
  ac: AbortController;
  done: Promise<void>;
  events: string[];
  startedAt?: number;
  termSignal?: AbortSignal;
}

function candidate(identity: string, extra: Partial<LeaderElectionOptions> = {}): Candidate {
  const c: Partial<Candidate> = { ac: new AbortController(), events: [] };
  c.elector = new LeaderElector({
    client, clock, identity, namespace: 'kube-system', name: leaseName,
    onStartedLeading: (signal) => {
      c.startedAt = clock.now();
      c.termSignal = signal;
      c.events!.push('started');
    },
    onStoppedLeading: () => c.events!.push('stopped'),
    onNewLeader: (id) => c.events!.push(`leader:${id}`),
    ...extra,
  });
  c.done = c.elector.run(c.ac!.signal);
  return c as Candidate;
}

/** Waits until `n` loops sleep on the clock (their I/O is finished), then moves time on. */
async function step(n: number, ms = 2000): Promise<void> {
  await waitFor(() => clock.pending() === n, { what: `${n} sleeping electors` });
  clock.advance(ms);
}

const lease = () => server.get(leasesRes, 'kube-system', leaseName)?.spec as Record<string, unknown>;

describe('LeaderElector', () => {
  it('one of two candidates leads; the standby takes over only after the leader stops renewing for leaseDuration', async () => {
    const a = candidate('a', { releaseOnCancel: false });
    await waitFor(() => a.elector.isLeader(), { what: 'a leads' });
    const b = candidate('b');
    await waitFor(() => b.events.includes('leader:a'), { what: 'b sees a' });
    expect(lease()).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(lease().renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    for (let i = 0; i < 10; i++) await step(2); // 20 s: a renews, b stays standby
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    await waitFor(() => clock.pending() === 2, { what: 'both idle' });
    const lastRenewA = Date.parse(lease().renewTime as string);
    expect(lastRenewA).toBe(clock.now());

    // a "crashes": stops without releasing.
    a.ac.abort();
    await a.done;
    expect(a.events).toEqual(['leader:a', 'started', 'stopped']);
    expect(a.termSignal?.aborted).toBe(true);
    expect(lease().holderIdentity).toBe('a');

    while (!b.elector.isLeader()) await step(1);
    expect(b.startedAt! - lastRenewA).toBeGreaterThan(15_000);
    expect(b.startedAt! - lastRenewA).toBeLessThanOrEqual(19_000);
    expect(lease()).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(b.events).toEqual(['leader:a', 'leader:b', 'started']);
    b.ac.abort();
    await b.done;
  });

  it('releases the lease on stop so the standby takes over at its next retry', async () => {
    const a = candidate('a');
    await waitFor(() => a.elector.isLeader(), { what: 'a leads' });
    const b = candidate('b');
    await waitFor(() => b.events.includes('leader:a'), { what: 'b sees a' });
    await waitFor(() => clock.pending() === 2, { what: 'both idle' });
    const stoppedAt = clock.now();
    a.ac.abort();
    await a.done;
    expect(lease().holderIdentity).toBe('');
    while (!b.elector.isLeader()) await step(1);
    expect(b.startedAt! - stoppedAt).toBe(2000);
    expect(lease()).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    b.ac.abort();
    await b.done;
  });

  it('a leader that cannot renew within renewDeadline steps down', async () => {
    const a = candidate('a');
    await waitFor(() => a.elector.isLeader(), { what: 'a leads' });
    // Someone else takes the lease behind a's back (its renewals now fail: not expired, held by other).
    const current = server.get(leasesRes, 'kube-system', leaseName)!;
    server.put(leasesRes, { ...current, spec: { ...(current.spec as object), holderIdentity: 'intruder' } });
    const since = clock.now();
    for (;;) {
      await waitFor(() => clock.pending() === 1 || !a.elector.isLeader(), { what: 'a idle or stepped down' });
      if (!a.elector.isLeader()) break;
      clock.advance(2000);
    }
    await a.done;
    expect(clock.now() - since).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - since).toBeLessThan(15_000);
    expect(a.events).toEqual(['leader:a', 'started', 'leader:intruder', 'stopped']);
    expect(a.termSignal?.aborted).toBe(true);
    expect(lease().holderIdentity).toBe('intruder'); // not ours: nothing to release
  });

  it('of two candidates racing for a free lease, exactly one wins', async () => {
    const a = candidate('a');
    const b = candidate('b');
    await waitFor(() => a.elector.isLeader() || b.elector.isLeader(), { what: 'someone leads' });
    await waitFor(() => clock.pending() === 2, { what: 'both idle' });
    await step(2);
    await waitFor(() => clock.pending() === 2, { what: 'both idle' });
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    a.ac.abort();
    b.ac.abort();
    await Promise.all([a.done, b.done]);
  });

  it('rejects inconsistent timings', () => {
    expect(() => new LeaderElector({ client, identity: 'x', namespace: 'n', name: 'l', leaseDurationMs: 10_000, renewDeadlineMs: 10_000, onStartedLeading: () => {} })).toThrow(RangeError);
  });
});
