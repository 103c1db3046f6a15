import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiserverTlsArgs, freePort, repoRoot, spawnComponent, spawnProcess, startRealEtcd, testPki, waitFor, writeTestKubeconfig, type Proc, type RunningStore } from '@tinykube/testkit';

// Black-box: the tkctl binary (its TypeScript entry point, run by node + tsx as the other
// components are) against a real etcd and the tinykube apiserver.

const MAIN = path.join(repoRoot, 'packages', 'tkctl', 'src', 'main.ts');
let etcd: RunningStore;
let api: Proc;
let dir: string;
let env: NodeJS.ProcessEnv;

interface Run {
  code: number;
  out: string;
  err: string;
}

function tk(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Run from the repository so node finds tsx; manifest paths are absolute.
    const child = spawn(process.execPath, ['--conditions=tinykube-src', '--import', 'tsx', MAIN, ...args], { cwd: repoRoot, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

const deployment = (replicas: number, labels: string, env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {${labels}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        env: [${env}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tkctl-e2e-'));
  etcd = await startRealEtcd();
  const port = await freePort();
  api = spawnComponent('apiserver', [...etcd.apiserverArgs, ...apiserverTlsArgs(), '--bind-address', '127.0.0.1', '--port', String(port), '--log-level', 'warn']);
  const server = `https://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (api.child.exitCode !== null) throw new Error(`apiserver exited:\n${api.output()}`);
    return (await fetch(`${server}/readyz`)).ok;
  }, { timeoutMs: 30_000, what: 'apiserver readyz' });
  await writeTestKubeconfig(path.join(dir, 'kubeconfig'), server, testPki().admin);
  env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir };
});

afterAll(async () => {
  await api?.stop();
  await etcd?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each step spawns node + tsx (about 1-2 s apiece on a busy machine), hence the generous timeout.
describe('tkctl against a real apiserver', { timeout: 120_000 }, () => {
  it('prints client and server versions', async () => {
    const r = await tk(['version']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^Client Version: v0\.1\.0\nServer Version: v1\.32\.0-tinykube\n$/);
  });

  it('applies, re-applies unchanged, then configures with a three-way patch', async () => {
    writeFileSync(path.join(dir, 'app.yaml'), deployment(2, 'app: web, tier: fe', '{name: A, value: "1"}, {name: B, value: "2"}'));
    expect(await tk(['apply', '-f', path.join(dir, 'app.yaml')])).toEqual({ code: 0, out: 'deployment.apps/web created\nconfigmap/cfg created\n', err: '' });
    expect(await tk(['apply', '-f', path.join(dir, 'app.yaml')])).toEqual({ code: 0, out: 'deployment.apps/web unchanged\nconfigmap/cfg unchanged\n', err: '' });

    writeFileSync(path.join(dir, 'app2.yaml'), deployment(3, 'app: web', '{name: A, value: "1"}, {name: C, value: "3"}'));
    expect((await tk(['apply', '-f', '-'], deployment(3, 'app: web', '{name: A, value: "1"}, {name: C, value: "3"}'))).out)
      .toBe('deployment.apps/web configured\nconfigmap/cfg unchanged\n');
    const got = await tk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels} {.spec.template.spec.containers[0].env[*].name}']);
    expect(got.out).toBe('3 {"app":"web"} A C');
  });

  it('gets tables with kubectl columns, several types, names and YAML', async () => {
    const table = await tk(['get', 'deployments']);
    expect(table.code).toBe(0);
    const [header, row] = table.out.split('\n');
    expect(header).toBe('NAME   READY   UP-TO-DATE   AVAILABLE   AGE');
    expect(row).toMatch(/^web {4}0\/3 {5}0 {12}0 {11}\d+s$/);

    const several = await tk(['get', 'deploy,cm', '-o', 'wide']);
    expect(several.out).toContain('deployment.apps/web');
    expect(several.out).toContain('configmap/cfg');
    expect(several.out.split('\n')[0]).toContain('CONTAINERS');

    expect((await tk(['get', 'cm,deploy', '-o', 'name'])).out).toBe('configmap/cfg\ndeployment.apps/web\n');
    const yaml = await tk(['get', 'cm', 'cfg', '-o', 'yaml']);
    expect(yaml.out).toMatch(/^apiVersion: v1\ndata:\n {2}a: "1"\nkind: ConfigMap\nmetadata:\n/);

    const empty = await tk(['get', 'pods']);
    expect(empty).toEqual({ code: 0, out: '', err: 'No resources found in default namespace.\n' });
  });

  it('describes a deployment with its events section', async () => {
    const r = await tk(['describe', 'deploy', 'web']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Name: +web\nNamespace: +default\n/);
    expect(r.out).toMatch(/Replicas: +3 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable\n/);
    expect(r.out).toContain('Events:');
  });

  it('scales through the scale subresource and labels with --overwrite rules', async () => {
    expect(await tk(['scale', 'deploy/web', '--replicas=5'])).toEqual({ code: 0, out: 'deployment.apps/web scaled\n', err: '' });
    expect((await tk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).out).toBe('5');

    expect((await tk(['label', 'deploy', 'web', 'env=prod'])).out).toBe('deployment.apps/web labeled\n');
    const clash = await tk(['label', 'deploy', 'web', 'env=dev']);
    expect(clash).toEqual({ code: 1, out: '', err: "error: 'env' already has a value (prod), and --overwrite is false\n" });
    expect((await tk(['get', 'deploy', '-l', 'env=prod', '-o', 'name'])).out).toBe('deployment.apps/web\n');
    expect((await tk(['annotate', 'cm', 'cfg', 'note=hi'])).out).toBe('configmap/cfg annotated\n');
    expect((await tk(['label', 'deploy', 'web', 'env-'])).out).toBe('deployment.apps/web labeled\n');
  });

  it('prints the server Status of an error and exits 1', async () => {
    expect(await tk(['get', 'pods', 'nope'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await tk(['get', 'widgets'])).toEqual({ code: 1, out: '', err: `error: the server doesn't have a resource type "widgets"\n` });
  });

  it('cordons and taints a node', async () => {
    const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n';
    expect((await tk(['create', '-f', '-'], node)).out).toBe('node/n1 created\n');
    expect((await tk(['cordon', 'n1'])).out).toBe('node/n1 cordoned\n');
    expect((await tk(['cordon', 'n1'])).out).toBe('node/n1 already cordoned\n');
    expect((await tk(['taint', 'nodes', 'n1', 'dedicated=gpu:NoSchedule'])).out).toBe('node/n1 tainted\n');
    expect((await tk(['get', 'node', 'n1', '-o', 'jsonpath={.spec.unschedulable} {.spec.taints[0].key}={.spec.taints[0].value}'])).out).toBe('true dedicated=gpu');
    expect((await tk(['taint', 'nodes', 'n1', 'dedicated:NoSchedule-'])).out).toBe('node/n1 untainted\n');
    expect((await tk(['uncordon', 'n1'])).out).toBe('node/n1 uncordoned\n');
  });

  it('watches: prints rows as objects arrive', async () => {
    const watcher = spawnProcess(process.execPath, ['--conditions=tinykube-src', '--import', 'tsx', MAIN, 'get', 'cm', '-w'], { env });
    try {
      await waitFor(() => watcher.output().includes('cfg'), { timeoutMs: 20_000, what: 'initial list' });
      await tk(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\n');
      await waitFor(() => /\nwatched +0 +\d+s\n/.test(watcher.output()), { timeoutMs: 20_000, what: 'watched row' });
      expect(watcher.output().split('\n')[0]).toBe('NAME   DATA   AGE');
    } finally {
      await watcher.stop();
    }
  });

  it('deletes by file and waits until the objects are gone', async () => {
    const r = await tk(['delete', '-f', path.join(dir, 'app2.yaml')]);
    expect(r).toEqual({ code: 0, out: 'deployment.apps "web" deleted\nconfigmap "cfg" deleted\n', err: '' });
    expect((await tk(['get', 'deploy', 'web'])).err).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
    expect((await tk(['delete', 'cm', 'nope'])).err).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });
});
