// The process of bench:node's hollow-node measurement: N hollow kubelets (startHollowNodes) against one apiserver.
// Started WITHOUT the tinykube-src condition, so @tinykube/* resolve to dist/ and only this file goes through tsx.
//
//   node --import tsx packages/kubelet/bench/hollow-nodes.ts --server URL --count N --root-dir DIR --first-node-ip IP
//
// Prints one JSON line on stdout when imports are loaded ({"baselineRssMb"}) and one once every kubelet started
// ({"started", "ms"}); SIGTERM stops them and exits.
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
  },
});
if (!values.server || !values['root-dir']) throw new Error('--server and --root-dir are required');

const log = pino({ level: 'warn', name: 'hollow' }, pino.destination(2));
const client = new RestClient({ server: values.server, userAgent: 'tinykube-hollow/0.1', logger: log });
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
