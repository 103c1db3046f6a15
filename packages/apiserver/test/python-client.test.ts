/**
 * Debian's Kubernetes Python client (python3-kubernetes 22.6) against our apiserver over TLS with the admin's
 * client certificate: the client we did not write, made for https servers (API-COMPAT.md).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, stores, type Cluster } from './harness.js';

const PYTHON = '/usr/bin/python3';
const hasClient = existsSync('/usr/lib/python3/dist-packages/kubernetes/__init__.py');

const SCRIPT = `
import json, sys
from kubernetes import client, config, watch
config.load_kube_config()
v1 = client.CoreV1Api()
out = {}
out['namespaces'] = sorted(n.metadata.name for n in v1.list_namespace().items)
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py-cm'), data={'k': 'v'})
v1.create_namespaced_config_map('default', cm)
out['read'] = v1.read_namespaced_config_map('py-cm', 'default').data
w = watch.Watch()
out['events'] = [e['type'] + ':' + e['object'].metadata.name for e in w.stream(v1.list_namespaced_config_map, 'default', field_selector='metadata.name=py-cm', timeout_seconds=1)]
v1.delete_namespaced_config_map('py-cm', 'default')
try:
    v1.read_namespaced_config_map('py-cm', 'default')
except client.exceptions.ApiException as e:
    body = json.loads(e.body)
    out['after_delete'] = [e.status, body['reason']]
    out['status_keys'] = list(body.keys())
    out['details_keys'] = list(body['details'].keys())
print(json.dumps(out))
`;

describe.runIf(hasClient).each(stores)('the Kubernetes Python client (%s)', (_name, startStore) => {
  let c: Cluster;
  beforeAll(async () => { c = await startCluster(startStore); });
  afterAll(async () => { await c?.close(); });

  it('lists, creates, reads, watches and deletes over https with a client certificate', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(PYTHON, ['-c', SCRIPT], { env: { ...process.env, KUBECONFIG: c.kubeconfig(), PYTHONPATH: '' }, timeout: 60_000 }, (err, out, errText) => {
        if (err) reject(new Error(`${err.message}\n${errText}`)); else resolve(out);
      });
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(out.namespaces).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
    expect(out.read).toEqual({ k: 'v' });
    expect(out.events).toEqual(['ADDED:py-cm']);
    expect(out.after_delete).toEqual([404, 'NotFound']);
    // Go's field order: clients compare error bodies as text
    expect(out.status_keys).toEqual(['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'details', 'code']);
    expect(out.details_keys).toEqual(['name', 'kind']);
  });
});
