// Black-box conformance: the SAME cases over raw HTTP against a real etcd 3.4.23 and against tinykube-store,
// each on a fresh server. Answers are compared after normalize.ts's rewriting (server identity, revisions relative
// to the start of each case, lease IDs); deliberate differences are listed in exceptions.ts with their reasons.
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { startRealEtcd, startTinyStore, type RunningStore } from '@tinykube/testkit';
import { makeContext } from './context.js';
import { kvCases } from './cases-kv.js';
import { watchCases } from './cases-watch.js';
import { leaseCases } from './cases-lease.js';
import { errorCases } from './cases-errors.js';
import { edgeCases } from './cases-edge.js';
import { currentRevision } from './wire.js';

describe.each([
  ['etcd', startRealEtcd],
  ['tinykube-store', startTinyStore],
] as const)('%s', (backend, start) => {
  let server: RunningStore | undefined;
  const c = makeContext(backend, () => {
    if (!server) throw new Error(`${backend} did not start`);
    return server.url;
  });

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    c.n.reset(await currentRevision(c.url()));
  });

  kvCases(c);
  watchCases(c);
  leaseCases(c);
  errorCases(c);
  edgeCases(c);
});
