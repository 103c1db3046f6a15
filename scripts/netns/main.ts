// scripts/netns-cluster: docker-compose.yml's topology in Linux network namespaces, with no Docker engine.
// flags → plan (compose.ts) → network (namespaces.ts) → processes (processes.ts); `down` undoes all of it.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { apiFromKubeconfig, nodeSpec, readyNodes, runningContainers, stopContainers, waitNodesReady, waitReady } from '@tinykube/cluster';
import { isAlive } from '@tinykube/kubelet';
import { readComposePlan, type ComposePlan, type ServicePlan } from './compose.js';
import { BRIDGE, bridgeExists, createNetwork, deleteNetwork, listNamespaces, namespacePids, nsName } from './namespaces.js';
import { readState, startInNamespace, writeState, type NodeState, type State } from './processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const log = pino({ name: 'netns-cluster', level: process.env.LOG_LEVEL ?? 'info' });
const secs = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected seconds');
  return n;
};
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

interface Common { composeFile: string; dataDir: string }

function load(o: Common): { plan: ComposePlan; dataDir: string } {
  const cwd = process.env.TK_CALLER_CWD ?? process.cwd();
  return { plan: readComposePlan(path.resolve(cwd, o.composeFile)), dataDir: path.resolve(cwd, o.dataDir) };
}

/** What `up` gives one service: the compose environment with container paths moved under the data dir. */
function serviceEnv(s: ServicePlan, plan: ComposePlan, dataDir: string): Record<string, string> {
  const moved = (v: string) => {
    for (const b of s.binds) {
      // ./.tinykube-compose/join/worker-1 → <data-dir>/tinykube-compose/join/worker-1
      if (v === b.target || v.startsWith(`${b.target}/`)) return path.join(dataDir, path.normalize(b.source).replace(/^\/+/, '').replace(/^\.+/, '')) + v.slice(b.target.length);
    }
    return v;
  };
  const env: Record<string, string> = {
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'}`,
    HOME: process.env.HOME ?? '/root',
    LANG: process.env.LANG ?? 'C.UTF-8',
  };
  for (const [k, v] of Object.entries(s.env)) env[k] = moved(v);
  env.NODE_IP ||= s.ip;
  env.DATA_DIR = path.join(dataDir, s.name);
  // The host reaches the apiserver through the bridge, not through a published port.
  if (env.HOST_KUBECONFIG_OUT) env.HOST_SERVER = `https://${env.CONTROL_PLANE_IP ?? plan.services[0]!.ip}:${env.APISERVER_PORT ?? '6443'}`;
  return env;
}

const nodeName = (s: ServicePlan) => s.env.NODE_NAME || s.name;

async function down(plan: ComposePlan, dataDir: string): Promise<void> {
  const state = readState(dataDir);
  const silent = pino({ level: 'silent' });
  // 1. kubelets (their containers keep running when a kubelet stops, as in packages/cluster)…
  await stopContainers((state?.nodes ?? []).filter((n) => isAlive(n.pid, n.startTicks)), 5_000);
  // 2. …then the containers they started, workers first and the control plane (store last) after.
  const roots = state?.nodes.map((n) => n.rootDir)
    ?? plan.services.map((s) => nodeSpec(path.join(dataDir, s.name), nodeName(s), s.ip, false).rootDir);
  for (const r of [...roots].reverse()) if (existsSync(r)) await stopContainers(runningContainers(r, silent), 10_000);
  // 3. whatever still runs in a namespace (a run whose state file was lost): it is ours, and it goes.
  const namespaces = [...new Set([...plan.services.map((s) => nsName(s.name)), ...(state?.nodes.map((n) => n.namespace) ?? [])])]
    .filter((ns) => listNamespaces().includes(ns));
  const leftovers = namespaces.flatMap((ns) => namespacePids(ns).map((pid) => ({ pid, ns })));
  for (const { pid } of leftovers) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  const deadline = Date.now() + 5_000;
  while (namespaces.some((ns) => namespacePids(ns).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (leftovers.length) log.warn({ killed: leftovers.length }, 'killed processes left in the namespaces');
  deleteNetwork(namespaces, plan.services.length);
  if (state) writeState(dataDir, { ...state, nodes: [] });
}

async function up(plan: ComposePlan, dataDir: string, o: { fresh: boolean; wait: boolean; timeout: number }): Promise<void> {
  for (const f of ['packages/cluster/dist/node-init.js', 'packages/kubelet/dist/main.js']) {
    if (!existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  // Idempotent: whatever an earlier (crashed) run left is cleaned first.
  await down(plan, dataDir);
  if (o.fresh) rmSync(dataDir, { recursive: true, force: true });
  createNetwork(plan);
  const nodes: NodeState[] = [];
  let kubeconfig: string | undefined;
  let server: string | undefined;
  for (const s of plan.services) {
    const env = serviceEnv(s, plan, dataDir);
    const logFile = path.join(dataDir, 'logs', `${s.name}.log`);
    const p = startInNamespace({ service: s.name, argv: s.argv, env, cwd: root, logFile });
    const rootDir = nodeSpec(env.DATA_DIR!, nodeName(s), env.NODE_IP!, truthy(env.CONTROL_PLANE)).rootDir;
    nodes.push({ service: s.name, namespace: nsName(s.name), ip: s.ip, pid: p.pid, startTicks: p.startTicks, rootDir, logFile });
    if (env.HOST_KUBECONFIG_OUT) {
      kubeconfig = env.HOST_KUBECONFIG_OUT;
      server = env.HOST_SERVER;
    }
    log.info({ service: s.name, ip: s.ip, pid: p.pid, logFile }, 'node started');
  }
  const state: State = { bridge: BRIDGE, nodes, kubeconfig, server };
  writeState(dataDir, state);
  if (!o.wait || !server || !kubeconfig) return;
  const started = Date.now();
  // The control plane's node-init writes the (admin) kubeconfig once its certificates exist.
  while (!existsSync(kubeconfig)) {
    if (Date.now() - started > o.timeout * 1000) throw new Error(`${kubeconfig} was not written within ${o.timeout} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const api = apiFromKubeconfig(kubeconfig);
  await waitReady(api, o.timeout * 1000);
  await waitNodesReady(api, plan.services.map(nodeName), Math.max(1_000, o.timeout * 1000 - (Date.now() - started)));
  process.stdout.write(`
tinykube is up in network namespaces: ${plan.services.map((s) => `${nodeName(s)} (${s.ip})`).join(', ')}.
  API server:  ${server}
  kubeconfig:  ${kubeconfig}
  logs:        ${path.join(dataDir, 'logs')}
  enter a node: ip netns exec ${nsName(plan.services[0]!.name)} bash
\`scripts/netns-cluster down\` stops everything; \`up\` again resumes the same cluster (--fresh starts over).
`);
}

async function status(plan: ComposePlan, dataDir: string): Promise<boolean> {
  const state = readState(dataDir);
  const namespaces = listNamespaces();
  let ready: string[] | undefined;
  const anyRunning = state?.nodes.some((n) => isAlive(n.pid, n.startTicks)) ?? false;
  if (state?.kubeconfig && existsSync(state.kubeconfig) && anyRunning) ready = await readyNodes(apiFromKubeconfig(state.kubeconfig)).catch(() => undefined);
  const rows = plan.services.map((s) => {
    const n = state?.nodes.find((x) => x.service === s.name);
    const running = n !== undefined && isAlive(n.pid, n.startTicks);
    const node = ready === undefined ? 'unknown' : ready.includes(nodeName(s)) ? 'Ready' : 'NotReady';
    return { running, line: [s.name.padEnd(16), s.ip.padEnd(14), (namespaces.includes(nsName(s.name)) ? nsName(s.name) : '-').padEnd(18), (running ? `running (pid ${n.pid})` : 'stopped').padEnd(22), node].join(' ') };
  });
  process.stdout.write(`${['SERVICE'.padEnd(16), 'IP'.padEnd(14), 'NAMESPACE'.padEnd(18), 'KUBELET'.padEnd(22), 'NODE'].join(' ')}\n${rows.map((r) => r.line).join('\n')}\n`
    + `bridge ${BRIDGE}: ${bridgeExists() ? 'up' : 'absent'}${state?.kubeconfig ? `; kubeconfig ${state.kubeconfig}` : ''}\n`);
  return rows.every((r) => r.running);
}

const program = new Command('netns-cluster')
  .description("Runs docker-compose.yml's nodes in Linux network namespaces (root; no Docker engine), from the built repository.")
  .option('--compose-file <file>', 'the compose file', path.join(root, 'docker-compose.yml'))
  .option('--data-dir <dir>', 'per-node state, logs, kubeconfig', path.join(root, '.tinykube-netns'));

program.command('up').description('create the network and start every node (cleans up a previous run first)')
  .option('--fresh', 'delete the data dir first and start a new cluster', false)
  .option('--no-wait', 'return once started, without waiting for the apiserver and Ready nodes')
  .option('--timeout <seconds>', 'how long to wait for the cluster', secs, 120)
  .action(async (o: { fresh: boolean; wait: boolean; timeout: number }) => {
    const { plan, dataDir } = load(program.opts<Common>());
    await up(plan, dataDir, o);
  });
program.command('down').description('stop every node and its pods; delete the namespaces, the bridge and /etc/netns entries')
  .action(async () => {
    const { plan, dataDir } = load(program.opts<Common>());
    await down(plan, dataDir);
    log.info({ dataDir }, 'down; state kept in the data dir');
  });
program.command('status').description('list the nodes and whether each kubelet runs (exit 3 if any does not)')
  .action(async () => {
    const { plan, dataDir } = load(program.opts<Common>());
    if (!(await status(plan, dataDir))) process.exitCode = 3;
  });

if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  log.error({}, 'netns-cluster needs root (ip netns, veth, bridge)');
  process.exit(1);
}
try {
  await program.parseAsync();
} catch (err) {
  log.error({ err }, 'netns-cluster failed');
  process.exit(1);
}
