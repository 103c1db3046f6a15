import { registry, type KubeObject } from '@tinykube/api';
import type { Session } from '../session.js';

/**
 * `tkctl cluster-info`: the control plane's address, then every kube-system Service labelled
 * kubernetes.io/cluster-service=true with its proxy URL, as kubectl prints them.
 */
export async function clusterInfoCommand(s: Session): Promise<void> {
  await s.client.request('GET', '/version'); // fails with kubectl's connection message when unreachable
  const server = s.config.server.replace(/\/+$/, '');
  s.io.stdout.write(`Kubernetes control plane is running at ${server}\n`);
  const services = registry.get('', 'services');
  if (services) {
    const list = await s.client.listAll<KubeObject>(services, { namespace: 'kube-system', labelSelector: 'kubernetes.io/cluster-service=true' });
    for (const svc of list.items) {
      const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name ?? '';
      const ports = ((svc.spec as { ports?: { name?: string; port?: number }[] } | undefined)?.ports ?? []);
      const port = ports[0]?.name ?? (ports[0]?.port !== undefined ? String(ports[0].port) : '');
      const ref = port ? `${svc.metadata.name}:${port}` : (svc.metadata.name ?? '');
      s.io.stdout.write(`${name} is running at ${server}/api/v1/namespaces/kube-system/services/${ref}/proxy\n`);
    }
  }
  s.io.stdout.write(`\nTo further debug and diagnose cluster problems, use 'tkctl get events -A' and 'tkctl describe'.\n`);
}
