import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** What a running local cluster records in its data dir, so `add-worker` and `remove-worker` can find it. */
export const ClusterFileSchema = z.object({
  server: z.string(),
  controlPlaneIp: z.string(),
  nodeIpPrefix: z.string(),
  apiserverPort: z.number().int(),
  storePort: z.number().int(),
  /** pid of the `tinykube-up` process that supervises the cluster's kubelets */
  launcherPid: z.number().int(),
});
export type ClusterFile = z.infer<typeof ClusterFileSchema>;

const file = (dataDir: string) => path.join(dataDir, 'cluster.json');
const removedFile = (dataDir: string) => path.join(dataDir, 'removed-nodes.json');

export function writeClusterFile(dataDir: string, c: ClusterFile): void {
  writeFileSync(file(dataDir), `${JSON.stringify(c, null, 2)}\n`);
}

export function readClusterFile(dataDir: string): ClusterFile {
  if (!existsSync(file(dataDir))) throw new Error(`no cluster in ${dataDir}: start one with npm start (tinykube-up) first`);
  return ClusterFileSchema.parse(JSON.parse(readFileSync(file(dataDir), 'utf8')));
}

/** Nodes removed with `remove-worker`: the launcher stops them and does not start them again. */
export function removedNodes(dataDir: string): string[] {
  if (!existsSync(removedFile(dataDir))) return [];
  return z.array(z.string()).parse(JSON.parse(readFileSync(removedFile(dataDir), 'utf8')));
}

export function markRemoved(dataDir: string, name: string): void {
  const names = new Set(removedNodes(dataDir));
  names.add(name);
  writeFileSync(removedFile(dataDir), `${JSON.stringify([...names])}\n`);
}

export function unmarkRemoved(dataDir: string, name: string): void {
  if (!existsSync(removedFile(dataDir))) return;
  writeFileSync(removedFile(dataDir), `${JSON.stringify(removedNodes(dataDir).filter((n) => n !== name))}\n`);
}
