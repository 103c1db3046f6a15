import path from 'node:path';
import type { ComponentSpec } from './supervisor.js';

export interface ControlPlaneOptions {
  /** The repository (or install) root holding packages/<name>/dist/main.js. */
  root: string;
  dataDir: string;
  bindAddress: string;
  storePort: number;
  apiserverPort: number;
  kubeconfig: string;
}

const entry = (root: string, pkg: string) => path.join(root, 'packages', pkg, 'dist', 'main.js');

/** The control plane's components, in start order: the store first, the API server, then its clients. */
export function controlPlaneComponents(o: ControlPlaneOptions): ComponentSpec[] {
  const logs = path.join(o.dataDir, 'logs');
  const storeUrl = `http://${o.bindAddress}:${o.storePort}`;
  return [
    {
      name: 'store',
      entry: entry(o.root, 'store'),
      args: ['--data-dir', path.join(o.dataDir, 'store'), '--listen-client-urls', storeUrl],
      logFile: path.join(logs, 'store.log'),
    },
    {
      name: 'apiserver',
      entry: entry(o.root, 'apiserver'),
      args: ['--etcd-servers', storeUrl, '--bind-address', o.bindAddress, '--port', String(o.apiserverPort)],
      logFile: path.join(logs, 'apiserver.log'),
    },
    {
      name: 'scheduler',
      entry: entry(o.root, 'scheduler'),
      args: ['--kubeconfig', o.kubeconfig],
      logFile: path.join(logs, 'scheduler.log'),
    },
    {
      name: 'controller-manager',
      entry: entry(o.root, 'controller-manager'),
      args: ['--kubeconfig', o.kubeconfig],
      logFile: path.join(logs, 'controller-manager.log'),
    },
  ];
}
