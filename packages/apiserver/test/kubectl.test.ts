/** The real kubectl (v1.32 via the dispatcher at /usr/bin/kubectl) against our apiserver. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { kubectlRunner, startCluster, stores, type Cluster } from './harness.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

describe.runIf(existsSync(KUBECTL)).each(stores)('kubectl against the apiserver (%s)', (_name, startStore) => {
  let c: Cluster;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const { kubectl, ok } = kubectlRunner(KUBECTL, () => dir, () => env);
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    c = await startCluster(startStore);
    dir = mkdtempSync(path.join(tmpdir(), 'tk-kubectl-'));
    env = { ...process.env, KUBECONFIG: c.kubeconfig(), HOME: dir };
  });
  afterAll(async () => {
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
`;

  it('discovers resources (api-resources, api-versions)', async () => {
    const out = await ok('api-resources');
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    expect(await ok('api-versions')).toContain('apps/v1');
    expect(await ok('version', '-o', 'json')).toContain('v1.32.0-tinykube');
  });

  it('creates with create -f and shows tables, wide tables and yaml', async () => {
    const f = file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kpod\n  labels: {app: k}\nspec:\n  nodeName: node-a\n  containers:\n  - name: c\n    image: busybox:1.36\n');
    expect(await ok('create', '-f', f)).toContain('pod/kpod created');
    const table = await ok('get', 'pods');
    expect(table).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(table).toMatch(/^kpod\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const wide = await ok('get', 'pods', '-o', 'wide');
    expect(wide).toMatch(/NODE\s+NOMINATED NODE/);
    expect(wide).toMatch(/kpod.*node-a/);
    const yaml = await ok('get', 'pod', 'kpod', '-o', 'yaml');
    expect(yaml).toContain('name: kpod');
    expect(yaml).toMatch(/resourceVersion: "\d+"/);
    expect(await ok('get', 'ns')).toMatch(/^kube-system\s+Active/m);
  });

  it('apply -f twice (the second is a strategic merge patch), label, annotate, scale', async () => {
    const f = file('deploy.yaml', deployment('nginx:1.25'));
    expect(await ok('apply', '-f', f)).toContain('deployment.apps/web created');
    expect(await ok('apply', '-f', f)).toContain('deployment.apps/web unchanged');
    file('deploy.yaml', deployment('nginx:1.26'));
    expect(await ok('apply', '-f', f)).toContain('deployment.apps/web configured');
    expect(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}')).toBe('nginx:1.26 2');
    expect(await ok('label', 'deploy', 'web', 'tier=fe')).toContain('labeled');
    expect(await ok('annotate', 'deploy', 'web', 'note=hi')).toContain('annotated');
    expect(await ok('scale', 'deploy', 'web', '--replicas=4')).toContain('scaled');
    const got = JSON.parse(await ok('get', 'deploy', 'web', '-o', 'json'));
    expect(got.spec.replicas).toBe(4);
    expect(got.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(got.metadata.annotations.note).toBe('hi');
    expect(got.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(await ok('get', 'deploy', '-o', 'wide')).toMatch(/^web\s+0\/4\s+0\s+0\s+\d+s\s+web\s+nginx:1\.26\s+app=web$/m);
  });

  it('patches with --type merge, json and strategic', async () => {
    await ok('patch', 'deploy', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":1}}');
    await ok('patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]');
    await ok('patch', 'deploy', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}');
    const got = JSON.parse(await ok('get', 'deploy', 'web', '-o', 'json'));
    expect(got.spec.replicas).toBe(2);
    expect(got.spec.template.spec.containers).toHaveLength(1);
    expect(got.spec.template.spec.containers[0]).toMatchObject({ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] });
  });

  it('runs generator commands that send protobuf (create namespace|configmap|secret|deployment)', async () => {
    expect(await ok('create', 'namespace', 'gen')).toContain('namespace/gen created');
    expect(await ok('create', 'configmap', 'gcm', '-n', 'gen', '--from-literal=a=b')).toContain('configmap/gcm created');
    expect(await ok('create', 'secret', 'generic', 'gsec', '-n', 'gen', '--from-literal=pw=x')).toContain('secret/gsec created');
    expect(await ok('create', 'deployment', 'gdep', '-n', 'gen', '--image=nginx:1.25', '--replicas=2', '--port=80')).toContain('deployment.apps/gdep created');
    const cm = JSON.parse(await ok('get', 'cm', 'gcm', '-n', 'gen', '-o', 'json'));
    expect(cm.data).toEqual({ a: 'b' });
    const sec = JSON.parse(await ok('get', 'secret', 'gsec', '-n', 'gen', '-o', 'json'));
    expect(Buffer.from(sec.data.pw, 'base64').toString()).toBe('x');
    const dep = JSON.parse(await ok('get', 'deploy', 'gdep', '-n', 'gen', '-o', 'json'));
    expect(dep.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'gdep' } } });
    expect(dep.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] });
  });

  it('prints a 422 whose message names the field', async () => {
    const f = file('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n');
    const r = await kubectl('create', '-f', f);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Pod "bad" is invalid: spec.containers[0].image: Required value');
  });

  it('watches with get -w', async () => {
    const child = spawn(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), 'get', 'configmaps', '-w', '--request-timeout=30s'], { env });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    try {
      // the first row comes from the initial list (or the watch, whichever kubectl reaches first)
      await ok('create', '-f', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: b}\n'));
      await waitFor(() => /^watched\s+1\s+\d+s$/m.test(out), { timeoutMs: 20_000, what: `watched row (got: ${out})` });
      expect(out).toMatch(/^NAME\s+DATA\s+AGE$/m);
      // this one can only arrive through the open watch
      await ok('create', '-f', file('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched2}\n'));
      await waitFor(() => /^watched2\s+0\s+\d+s$/m.test(out), { timeoutMs: 20_000, what: `watched2 row (got: ${out})` });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('deletes and waits until the object is gone', async () => {
    expect(await ok('delete', 'deploy', 'web')).toContain('deployment.apps "web" deleted');
    expect((await kubectl('get', 'deploy', 'web')).stderr).toContain('NotFound');
    // a pod bound to a node is deleted gracefully; --force --grace-period=0 removes it at once
    const r = await ok('delete', 'pod', 'kpod', '--force', '--grace-period=0');
    expect(r).toContain('"kpod" force deleted');
    expect((await kubectl('get', 'pod', 'kpod')).stderr).toContain('NotFound');
  });
});
