// The process of bench:node's hollow-node measurement: N hollow kubelets (startHollowNodes) against one apiserver.
// Started WITHOUT the tinykube-src condition, so @tinykube/* resolve to dist/ and only this file goes through tsx.
//
//   node --import tsx packages/kubelet/bench/hollow-nodes.ts --server URL --count N --root-dir DIR --first-node-ip IP \
//     [--certificate-authority FILE --client-certificate FILE --client-key FILE]
//
// The apiserver serves https only: the client trusts --certificate-authority and presents --client-certificate.
// A real kubelet registers as system:node:<name> with a certificate of its own; with up to 500 hollow nodes in one
// process sharing one RestClient, bench:node instead passes one admin credential for the whole process (so the Node
// authorizer and NodeRestriction do not apply to hollow nodes; RBAC lets the admin do what each kubelet does).
//
// Prints one JSON line on stdout when imports are loaded ({"baselineRssMb"}) and one once every kubelet started
// ({"started", "ms"}); SIGTERM stops them and exits.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { RestClient } from '@tinykube/client';
import { startHollowNodes } from '@tinykube/kubelet';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    count: { type: 'string', default: '500' },
    'root-dir': { type: 'string' },
    'first-node-ip': { type: 'string', default: '127.0.9.11' },
    prefix: { type: 'string', default: 'hollow' },
    'certificate-authority': { type: 'string' },
    'client-certificate': { type: 'string' },
    'client-key': { type: 'string' },
  },
});
if (!values.server || !values['root-dir']) throw new Error('--server and --root-dir are required');

const log = pino({ level: 'warn', name: 'hollow' }, pino.destination(2));
const pem = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);
const tls = { ca: pem(values['certificate-authority']), cert: pem(values['client-certificate']), key: pem(values['client-key']) };
const client = new RestClient({ server: values.server, userAgent: 'tinykube-hollow/0.1', logger: log, tls });
console.log(JSON.stringify({ baselineRssMb: process.memoryUsage().rss / 1048576 }));

const t0 = performance.now();
const hollow = await startHollowNodes({
  client, count: Number(values.count), prefix: values.prefix, rootDir: values['root-dir'], firstNodeIP: values['first-node-ip'], log,
});
console.log(JSON.stringify({ started: hollow.kubelets.length, ms: performance.now() - t0 }));

process.once('SIGTERM', () => {
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  void hollow.stop().then(() => client.close()).then(() => process.exit(0), () => process.exit(1));
});
