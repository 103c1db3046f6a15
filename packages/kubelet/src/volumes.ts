import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Container, Pod, Volume } from '@tinykube/api';
import { safeRelative, writePayload } from './atomic-writer.js';
import type { ObjectSource } from './env.js';
import type { ServiceAccountTokens } from './token-manager.js';
import { VolumeError } from './volume-error.js';
import { configMapPayload, downwardAPIPayload, projectedPayload, secretPayload, type PayloadContext } from './volume-payloads.js';

// Volumes without mount namespaces. Each volume is a folder <poddir>/volumes/<name> (hostPath: a
// symlink to the host folder). Each container has a root folder <poddir>/rootfs/<container>, where
// every volumeMount appears as a symlink at its mountPath: a volume mounted at /etc/config is at
// $TK_ROOT/etc/config. The process starts in $TK_ROOT (or $TK_ROOT/<workingDir>), so relative paths
// like `etc/config/key` work as is; absolute paths are not rewritten (see the README).

export { VolumeError } from './volume-error.js';

export function volumeDir(podDir: string, name: string): string {
  return join(podDir, 'volumes', name);
}

export function rootfsDir(podDir: string, container: string): string {
  return join(podDir, 'rootfs', container);
}

/** What volume setup reads: ConfigMaps and Secrets, service-account tokens, the pod's addresses. */
export interface VolumeContext {
  source: ObjectSource;
  /** Absent in standalone mode. */
  tokens?: ServiceAccountTokens;
  podIP: string;
  hostIP: string;
}

async function prepareOne(pod: Pod, v: Volume, dir: string, vc: VolumeContext): Promise<void> {
  const ctx: PayloadContext = { pod, ...vc };
  // kubelet-managed content: the whole payload is computed first, so a failure leaves the files as they were
  if (v.configMap) return writePayload(dir, await configMapPayload(ctx, v.configMap, v.configMap.defaultMode));
  if (v.secret) return writePayload(dir, await secretPayload(ctx, { ...v.secret, name: v.secret.secretName }, v.secret.defaultMode));
  if (v.downwardAPI) return writePayload(dir, downwardAPIPayload(ctx, v.downwardAPI.items, v.downwardAPI.defaultMode));
  if (v.projected) return writePayload(dir, await projectedPayload(ctx, v.projected));
  if (v.hostPath) {
    const type = v.hostPath.type ?? '';
    if (!existsSync(v.hostPath.path)) {
      if (type === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true });
      else if (type !== '') throw new VolumeError(`hostPath ${v.hostPath.path} does not exist`);
    }
    ensureSymlink(dir, v.hostPath.path);
    return;
  }
  // emptyDir, and (as a folder that lives as long as the pod) the kinds a process runtime cannot back.
  mkdirSync(dir, { recursive: true });
}

/**
 * Creates or refreshes every volume of the pod (at every pod sync: ConfigMap and Secret changes and token
 * refreshes land within a resync); throws VolumeError (the pod stays ContainerCreating).
 */
export async function prepareVolumes(pod: Pod, podDir: string, vc: VolumeContext): Promise<void> {
  for (const v of pod.spec.volumes ?? []) await prepareOne(pod, v, volumeDir(podDir, v.name), vc);
}

function ensureSymlink(path: string, target: string): void {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink() && readlinkSync(path) === target) return;
    rmSync(path, { recursive: true, force: true });
  } catch {
    // absent
  }
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** Lays out a container's root folder with its mounts; returns the folder the process starts in. */
export function mountVolumes(pod: Pod, c: Container, podDir: string, imageWorkingDir?: string): { rootfs: string; cwd: string } {
  const rootfs = rootfsDir(podDir, c.name);
  mkdirSync(rootfs, { recursive: true });
  const names = new Set((pod.spec.volumes ?? []).map((v) => v.name));
  for (const m of c.volumeMounts ?? []) {
    if (!names.has(m.name)) throw new VolumeError(`volumeMount ${m.name} has no volume`);
    const rel = safeRelative(m.mountPath);
    if (!rel) continue;
    const target = m.subPath ? join(volumeDir(podDir, m.name), safeRelative(m.subPath)) : volumeDir(podDir, m.name);
    if (m.subPath && !existsSync(target)) mkdirSync(target, { recursive: true });
    ensureSymlink(join(rootfs, rel), target);
  }
  let cwd = rootfs;
  if (c.workingDir) cwd = join(rootfs, safeRelative(c.workingDir));
  else if (imageWorkingDir) cwd = imageWorkingDir;
  mkdirSync(cwd, { recursive: true });
  return { rootfs, cwd };
}
