import { join } from 'node:path';
import type { RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { intToIp, ipToInt } from './ipam.js';
import { Kubelet } from './kubelet.js';

// Hollow nodes (kubemark's idea, kwok's use): many fake-runtime kubelets in one process, each a real
// Node with a Lease and pod status writes, for scale tests of the control plane.

export interface HollowNodesOptions {
  client: RestClient;
  count: number;
  /** Nodes are <prefix>-0 ... <prefix>-(count-1). */
  prefix?: string;
  rootDir: string;
  /** The first node IP; the others follow (default 127.0.3.1). */
  firstNodeIP?: string;
  log: Logger;
}

export async function startHollowNodes(o: HollowNodesOptions): Promise<{ kubelets: Kubelet[]; stop(): Promise<void> }> {
  const first = ipToInt(o.firstNodeIP ?? '127.0.3.1');
  const kubelets: Kubelet[] = [];
  for (let i = 0; i < o.count; i++) {
    const nodeName = `${o.prefix ?? 'hollow'}-${i}`;
    const k = new Kubelet({
      nodeName, nodeIP: intToIp(first + i), address: '127.0.0.1', port: 0, rootDir: join(o.rootDir, nodeName), runtime: 'fake',
      client: o.client, log: o.log.child({ node: nodeName }),
    });
    await k.start();
    kubelets.push(k);
  }
  return {
    kubelets,
    async stop() {
      await Promise.all(kubelets.map((k) => k.shutdown()));
    },
  };
}
