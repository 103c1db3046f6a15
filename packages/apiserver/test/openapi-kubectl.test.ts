/** The real kubectl against the apiserver's OpenAPI documents: explain, strict validation, /openapi/v2. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, stores, type Cluster } from './harness.js';
import { KUBECTL, kubectlRunner, type KubectlRunner } from './kubectl-runner.js';

// One store is enough: the documents do not depend on storage.
describe.runIf(existsSync(KUBECTL) && stores.length > 0)('kubectl and OpenAPI', () => {
  let c: Cluster;
  let run: KubectlRunner;
  const kubectl = (...args: string[]) => run.kubectl(...args);
  const ok = (...args: string[]) => run.ok(...args);
  const file = (name: string, text: string) => run.file(name, text);

  beforeAll(async () => {
    c = await startCluster(stores[stores.length - 1][1]);
    run = kubectlRunner(c.kubeconfig(), 'tk-openapi-');
  });
  afterAll(async () => {
    await c?.close();
    run?.remove();
  });

  it('explains pods.spec.containers with our descriptions', async () => {
    const out = await ok('explain', 'pods.spec.containers');
    expect(out).toMatch(/KIND:\s+Pod/);
    expect(out).toMatch(/FIELD:\s+containers/);
    expect(out).toContain('DESCRIPTION:');
    expect(out.replace(/\s+/g, ' ')).toContain('The containers of the pod.');
    expect(out).toMatch(/image\s+<string>/);
    expect(out).toMatch(/ports\s+<\[\]ContainerPort>/);
  });

  it('names IntOrString fields as kubectl does', async () => {
    expect(await ok('explain', 'services.spec.ports.targetPort')).toMatch(/FIELD:\s+targetPort\s+<IntOrString>/);
  });

  it('explains deployment.spec recursively', async () => {
    const out = await ok('explain', 'deployment.spec', '--recursive');
    expect(out).toMatch(/^\s+template\s+<PodTemplateSpec> -required-|^\s+template\s+<PodTemplateSpec>/m);
    expect(out).toMatch(/^\s+containers\s+<\[\]Container> -required-/m);
  });

  it('rejects an unknown field with --validate=strict and applies a good manifest', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\nspec: {}\ndata: {a: "1"}\n');
    const r = await kubectl('apply', '--validate=strict', '-f', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec"');
    const good = file('good.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata: {a: "1"}\n');
    expect(await ok('apply', '--validate=strict', '-f', good)).toContain('configmap/good created');
    expect(await ok('apply', '--validate=strict', '-f', good)).toContain('configmap/good unchanged');
  });

  it('serves /openapi/v2 as JSON', async () => {
    const doc = JSON.parse(await ok('get', '--raw', '/openapi/v2')) as { swagger: string; definitions: Record<string, unknown> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Pod']).toBeDefined();
  });

  it('answers 406 to a protobuf-only /openapi/v2 request', async () => {
    const r = await c.req('GET', '/openapi/v2', undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(r.status).toBe(406);
  });
});
