export { freePort } from './ports.js';
export { waitFor, type WaitOptions } from './wait.js';
export { FakeClock } from './fake-clock.js';
export { repoRoot, spawnProcess, spawnComponent, type Proc, type SpawnOptions } from './process.js';
export { etcdBinary, haveRealEtcd, startRealEtcd, startTinyStore, type RunningStore } from './etcd.js';
export { numFlag, percentile, summarize, rssMb, runConcurrent, watchStream, type LatencySummary } from './bench.js';
export { apiserverTlsArgs, ensureTestPki, issueTestCredential, makeTestPki, nodeCredentials, testDispatcher, testPki, testTls, writeTestKubeconfig, TEST_PKI_ENV, type TestPki } from './pki.js';
export { openWatch, readWatch, type OpenWatch } from './watch.js';
