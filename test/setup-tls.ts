// Every test process talks https to what it starts: plain `fetch` trusts the run's CA and presents the admin's
// client certificate (tests of other identities pass their own dispatcher).
import { setGlobalDispatcher } from 'undici';
import { testDispatcher, testPki } from '@tinykube/testkit';

if (process.env.TK_TEST_PKI) setGlobalDispatcher(testDispatcher(testPki().admin));
