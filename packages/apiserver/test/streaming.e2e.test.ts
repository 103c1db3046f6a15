/**
 * pods/log, exec and port-forward end to end: real etcd + apiserver + kubelet processes, the real
 * kubectl 1.32 (WebSocket exec, SPDY-over-WebSocket port-forward) and @kubernetes/client-node.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { freePort, nodeCredentials, spawnComponent, startRealEtcd, testPki, waitFor, writeTestKubeconfig, type Proc } from '@tinykube/testkit';
import { startCluster, type Cluster } from './harness.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const NODE = 'stream-node';
const NODE_IP = '127.0.1.11';

interface Run { code: number; stdout: string; stderr: string }

describe.runIf(existsSync(KUBECTL))('logs, exec and port-forward through the apiserver', () => {
  let c: Cluster;
  let dir: string;
  let kubelet: Proc | undefined;
  let env: NodeJS.ProcessEnv;
  let kc: k8s.KubeConfig;
  const background: ChildProcess[] = [];

  const kubectl = (args: string[], input?: string): Promise<Run> => new Promise((resolve) => {
    const child = execFile(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
  const ok = async (...args: string[]): Promise<string> => {
    const r = await kubectl(args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  /** Starts a long-running kubectl; collects its stdout. */
  const start = (args: string[]): { child: ChildProcess; out: () => string } => {
    const child = spawn(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    background.push(child);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    return { child, out: () => out };
  };
  const podRunning = (name: string) => waitFor(async () => {
    const p = await c.req('GET', `/api/v1/namespaces/default/pods/${name}`);
    return p.body.status?.phase === 'Running' && p.body.status?.podIP ? p.body : undefined;
  }, { timeoutMs: 40_000, what: `pod ${name} Running (kubelet: ${kubelet?.output().slice(-1500)})` });

  let auditLog: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tk-streaming-e2e-'));
    auditLog = path.join(dir, 'audit.log');
    c = await startCluster(() => startRealEtcd(), ['--log-level', process.env.TK_API_LOG_LEVEL ?? 'warn', '--audit-log-path', auditLog]);
    const kubeconfig = c.kubeconfig();
    env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
    kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    // the kubelet as itself, serving https: the apiserver reaches it with its kubelet-client cert
    const node = await nodeCredentials(NODE, NODE_IP);
    const kubeletKubeconfig = await writeTestKubeconfig(path.join(dir, 'kubelet.conf'), c.url, node.client);
    kubelet = spawnComponent('kubelet', [
      '--kubeconfig', kubeletKubeconfig, '--tls-cert-file', node.serving.cert, '--tls-private-key-file', node.serving.key, '--client-ca-file', testPki().ca.cert, '--node-name', NODE, '--node-ip', NODE_IP, '--root-dir', path.join(dir, 'root'),
      '--port', '0', '--pod-cidr', '127.1.93.0/24', '--node-status-update-frequency', '1s', '--node-lease-renew-interval', '1s',
    ]);
    await waitFor(async () => (await c.req('GET', `/api/v1/nodes/${NODE}`)).body.status?.daemonEndpoints?.kubeletEndpoint?.Port > 0,
      { timeoutMs: 40_000, what: 'node registered' });
    const mk = (name: string, containers: unknown[], extra: Record<string, unknown> = { nodeName: NODE }) =>
      c.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, containers, ...extra } });
    // `tick` files written by exec (same folder: $TK_ROOT) show up as new log lines.
    await mk('hello', [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello; while true; do if [ -f tick ]; then echo "tick-$(cat tick)"; rm tick; fi; sleep 0.2; done'] }]);
    await mk('web', [{ name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['netexec', '--http-port=18093'] }]);
    await mk('two', [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }, { name: 'b', image: 'busybox', command: ['sleep', '3600'] }], {});
    await podRunning('hello');
    await podRunning('web');
  }, 120_000);

  afterAll(async () => {
    for (const b of background) b.kill('SIGKILL');
    for (const name of ['hello', 'web']) await c?.req('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=1`);
    // Containers outlive a kubelet by design: let it stop them before it goes.
    if (kubelet) {
      await waitFor(async () => (await c.req('GET', '/api/v1/namespaces/default/pods/hello')).status === 404, { timeoutMs: 30_000, what: 'pods deleted' }).catch(() => undefined);
      await kubelet.stop();
    }
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('kubectl logs shows the container output; --tail limits it', async () => {
    expect(await ok('logs', 'hello')).toBe('hello\n');
    expect(await ok('logs', 'hello', '-c', 'main', '--tail=1')).toBe('hello\n');
  });

  it('kubectl logs -f streams a line written later', async () => {
    const f = start(['logs', '-f', 'hello']);
    await waitFor(() => f.out().includes('hello'), { timeoutMs: 20_000, what: `logs -f first line (${f.out()})` });
    await ok('exec', 'hello', '--', 'sh', '-c', 'echo 42 > tick');
    await waitFor(() => f.out().includes('tick-42'), { timeoutMs: 20_000, what: `streamed line (${f.out()})` });
    expect(f.child.exitCode).toBeNull();
    f.child.kill();
  });

  it('kubectl exec prints the output and exits with the command exit code', async () => {
    const r = await kubectl(['exec', 'hello', '--', 'sh', '-c', 'echo hi; exit 3']);
    expect(r.stdout).toBe('hi\n');
    expect(r.code).toBe(3);
    // audited as kube audits a long-running request: authorized as create pods/exec, started at the upgrade, then complete
    const events = await waitFor(() => {
      const evs = readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
        .filter((e) => e.objectRef?.subresource === 'exec' && e.objectRef?.name === 'hello' && e.requestURI.includes('exit'));
      return evs.some((e) => e.stage === 'ResponseComplete') ? evs : undefined;
    }, { timeoutMs: 10_000, what: 'audit events of the exec' });
    expect(events.map((e) => e.stage)).toEqual(['ResponseStarted', 'ResponseComplete']);
    expect(events[1]).toMatchObject({ verb: 'create', user: { username: 'kubernetes-admin' }, responseStatus: { code: 101 } });
  });

  it('kubectl exec -i passes stdin', async () => {
    const r = await kubectl(['exec', '-i', 'hello', '--', 'sh', '-c', 'tr a-z A-Z'], 'piped input\n');
    expect(r).toMatchObject({ code: 0, stdout: 'PIPED INPUT\n' });
  });

  it('answers Kubernetes errors for logs', async () => {
    const two = await c.req('GET', '/api/v1/namespaces/default/pods/two/log');
    expect(two.status).toBe(400);
    expect(two.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'a container name must be specified for pod two, choose one of: [a b]' });
    const unbound = await c.req('GET', '/api/v1/namespaces/default/pods/two/log?container=a');
    expect(unbound.status).toBe(400);
    expect(unbound.body.message).toBe('pod two does not have a host assigned');
    expect((await c.req('GET', '/api/v1/namespaces/default/pods/absent/log')).status).toBe(404);
    // a node whose kubelet is not there
    const port = await freePort();
    await c.req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
    await c.req('PATCH', '/api/v1/nodes/ghost/status', { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } },
      { 'content-type': 'application/merge-patch+json' });
    await c.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'haunted' }, spec: { nodeName: 'ghost', containers: [{ name: 'c', image: 'busybox' }] } });
    await c.req('PATCH', '/api/v1/namespaces/default/pods/haunted/status', { status: { containerStatuses: [{ name: 'c', state: { running: {} } }] } },
      { 'content-type': 'application/merge-patch+json' });
    const down = await c.req('GET', '/api/v1/namespaces/default/pods/haunted/log');
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/kubelet of node "ghost" .* is unreachable/);
    const execDown = await kubectl(['exec', 'haunted', '--', 'true']);
    expect(execDown.code).not.toBe(0);
  });

  it('kubectl port-forward carries HTTP to the pod (SPDY over WebSocket)', async () => {
    const local = await freePort();
    const pf = start(['port-forward', 'pod/web', `${local}:18093`]);
    await waitFor(() => pf.out().includes('Forwarding from'), { timeoutMs: 20_000, what: `port-forward ready (${pf.out()})` });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${local}/hostname`, { headers: { connection: 'close' } });
      expect(await res.text()).toBe('web');
    }
    // More than SPDY's initial 64 KiB window, both ways: nothing waits for WINDOW_UPDATEs.
    const big = await fetch(`http://127.0.0.1:${local}/shell?cmd=${encodeURIComponent('head -c 300000 /dev/zero | tr "\\0" y')}`, { headers: { connection: 'close' } });
    expect(((await big.json()) as { output: string }).output).toBe('y'.repeat(300_000));
    expect(pf.child.exitCode).toBeNull();
    pf.child.kill();
  });

  // Debian's python3-kubernetes speaks v4.channel.k8s.io for exec and plain-WebSocket port-forward
  const python = (script: string): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', ['-c', script], { env: { ...env, PYTHONPATH: '' }, timeout: 60_000 }, (err, out, errText) => {
      if (err) reject(new Error(`${err.message}\n${errText}`)); else resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
  const hasPython = existsSync('/usr/lib/python3/dist-packages/kubernetes/__init__.py');

  it.runIf(hasPython)('the Python client execs with stdin and gets the exit code (v4.channel.k8s.io)', async () => {
    const out = await python(`
import json
from kubernetes import client, config
from kubernetes.stream import stream
config.load_kube_config()
v1 = client.CoreV1Api()
r = stream(v1.connect_get_namespaced_pod_exec, 'hello', 'default', container='main', command=['sh', '-c', 'read x; echo got-$x; echo oops >&2; exit 3'],
           stdin=True, stdout=True, stderr=True, tty=False, _preload_content=False)
r.write_stdin('py\\n')
stdout, stderr = '', ''
while r.is_open():
    r.update(timeout=1)
    if r.peek_stdout(): stdout += r.read_stdout()
    if r.peek_stderr(): stderr += r.read_stderr()
code = r.returncode
plain = stream(v1.connect_get_namespaced_pod_exec, 'hello', 'default', container='main', command=['echo', 'plain'], stdout=True, stderr=True, stdin=False, tty=False)
print(json.dumps({'stdout': stdout, 'stderr': stderr, 'code': code, 'plain': plain}))
`);
    expect(out).toEqual({ stdout: 'got-py\n', stderr: 'oops\n', code: 3, plain: 'plain\n' });
  });

  it.runIf(hasPython)('the Python client port-forwards over plain WebSocket', async () => {
    const out = await python(`
import json
from kubernetes import client, config
from kubernetes.stream import portforward
config.load_kube_config()
v1 = client.CoreV1Api()
pf = portforward(v1.connect_get_namespaced_pod_portforward, 'web', 'default', ports='18093')
sock = pf.socket(18093)
sock.setblocking(True)
sock.sendall(b'GET /hostname HTTP/1.1\\r\\nHost: web\\r\\nConnection: close\\r\\n\\r\\n')
data = b''
while True:
    chunk = sock.recv(4096)
    if not chunk: break
    data += chunk
sock.close()
err = pf.error(18093)
pf.close()
print(json.dumps({'response': data.decode(), 'error': err}))
`);
    expect(out.response).toMatch(/^HTTP\/1.1 200[\s\S]*\r\n\r\nweb$/);
    expect(out.error).toBeNull();
  });

  it('proxies to a pod port, a service port and the node\'s kubelet (pods/proxy, services/proxy, nodes/proxy)', async () => {
    const web = await c.req('GET', '/api/v1/namespaces/default/pods/web');
    const podIP = web.body.status.podIP as string;
    // no readiness probe: Running comes before agnhost listens
    const viaPod = await waitFor(async () => {
      const r = await c.req('GET', '/api/v1/namespaces/default/pods/web:18093/proxy/hostname');
      return r.status === 200 ? r : undefined;
    }, { timeoutMs: 20_000, what: 'web answers through pods/proxy' });
    expect(viaPod.text).toBe('web');
    // the query string and a POST body reach the pod
    const echo = await c.req('GET', `/api/v1/namespaces/default/pods/http:web:18093/proxy/echo?msg=${encodeURIComponent('hi there')}`);
    expect(echo.text).toBe('hi there');
    expect(await ok('get', '--raw', '/api/v1/namespaces/default/pods/web:18093/proxy/hostname')).toBe('web');

    // a Service without a selector and its hand-made Endpoints
    await c.req('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-svc' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 18093 }] } });
    await c.req('POST', '/api/v1/namespaces/default/endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web-svc' }, subsets: [{ addresses: [{ ip: podIP }], ports: [{ name: 'http', port: 18093 }] }] });
    for (const id of ['web-svc:80', 'web-svc:http', 'http:web-svc:http']) {
      const r = await c.req('GET', `/api/v1/namespaces/default/services/${id}/proxy/hostname`);
      expect([id, r.status, r.text]).toEqual([id, 200, 'web']);
    }
    expect(await c.req('GET', '/api/v1/namespaces/default/services/web-svc:81/proxy/')).toMatchObject({ status: 503, body: { reason: 'ServiceUnavailable', message: 'no service port 81 found for service "web-svc"' } });
    expect(await c.req('GET', '/api/v1/namespaces/default/services/web-svc/proxy/')).toMatchObject({ status: 503, body: { message: 'no endpoints available for service "web-svc"' } });

    const healthz = await c.req('GET', `/api/v1/nodes/${NODE}/proxy/healthz`);
    expect([healthz.status, healthz.text]).toEqual([200, 'ok']);
    const pods = await c.req('GET', `/api/v1/nodes/${NODE}/proxy/pods`);
    expect(pods.body.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(expect.arrayContaining(['hello', 'web']));

    expect((await c.req('GET', '/api/v1/namespaces/default/pods/nope/proxy/')).status).toBe(404);
    expect(await c.req('GET', '/api/v1/namespaces/default/pods/web:1/proxy/')).toMatchObject({ status: 503, body: { reason: 'ServiceUnavailable', message: expect.stringMatching(/^error trying to reach service: .*ECONNREFUSED/) } });
    expect((await c.req('GET', '/api/v1/namespaces/default/pods/a:b:c:d/proxy/')).status).toBe(400);
    // authorized as `get pods/proxy`: a user without that right is refused
    expect((await c.req('GET', '/api/v1/namespaces/default/pods/web:18093/proxy/hostname', undefined, { 'Impersonate-User': 'nobody' })).status).toBe(403);
    await c.req('DELETE', '/api/v1/namespaces/default/services/web-svc');
    await c.req('DELETE', '/api/v1/namespaces/default/endpoints/web-svc');
  });

  it('client-node Exec reports the exit status', async () => {
    let out = '';
    const stdout = new Writable({ write(chunk, _e, cb) { out += String(chunk); cb(); } });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'hello', 'main', ['sh', '-c', 'echo from-client-node; exit 2'], stdout, null, null, false, resolve).catch(reject);
    });
    expect(out).toBe('from-client-node\n');
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
  });

  it('client-node PortForward reaches the pod port (WebSocket channels)', async () => {
    const output = new PassThrough();
    let got = '';
    output.on('data', (b: Buffer) => { got += b.toString(); });
    const input = new PassThrough();
    const ws = await new k8s.PortForward(kc).portForward('default', 'web', [18093], output, null, input);
    input.write('GET /hostname HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
    await waitFor(() => /\r\n\r\nweb$/.test(got), { timeoutMs: 15_000, what: `port-forward answer (${got})` });
    expect(got).toMatch(/^HTTP\/1.1 200/);
    (ws as { close(): void }).close();
  });
});
