import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { Container, Pod, Volume } from '@tinykube/api';
import { fieldRefValue, type ObjectSource } from './env.js';

// Volumes without mount namespaces. Each volume is a folder <poddir>/volumes/<name> (hostPath: a
// symlink to the host folder). Each container has a root folder <poddir>/rootfs/<container>, where
// every volumeMount appears as a symlink at its mountPath: a volume mounted at /etc/config is at
// $TK_ROOT/etc/config. The process starts in $TK_ROOT (or $TK_ROOT/<workingDir>), so relative paths
// like `etc/config/key` work as is; absolute paths are not rewritten (see the README).

export class VolumeError extends Error {
  override readonly name = 'VolumeError';
  readonly reason = 'FailedMount';
}

export function volumeDir(podDir: string, name: string): string {
  return join(podDir, 'volumes', name);
}

export function rootfsDir(podDir: string, container: string): string {
  return join(podDir, 'rootfs', container);
}

/** Writes a file only when its content changed, atomically (a reader never sees half a file). */
function writeIfChanged(path: string, content: Buffer, mode?: number): void {
  if (existsSync(path) && readFileSync(path).equals(content)) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode: mode ?? 0o644 });
  renameSync(tmp, path);
}

function safeRelative(p: string): string {
  const n = normalize(p).replace(/^(\.\.(\/|$))+/, '').replace(/^\/+/, '');
  if (n.startsWith('..')) throw new VolumeError(`path ${p} escapes the volume`);
  return n;
}

function writeKeys(dir: string, data: Record<string, Buffer>, items: { key: string; path: string; mode?: number }[] | undefined, mode: number | undefined, what: string): void {
  mkdirSync(dir, { recursive: true });
  const entries = items?.length ? items.map((i) => [i.key, i.path, i.mode] as const) : Object.keys(data).map((k) => [k, k, undefined] as const);
  for (const [key, path, m] of entries) {
    const content = data[key];
    if (content === undefined) throw new VolumeError(`${what}: key ${key} not found`);
    writeIfChanged(join(dir, safeRelative(path)), content, m ?? mode);
  }
}

async function prepareOne(pod: Pod, v: Volume, dir: string, source: ObjectSource, podIP: string, hostIP: string): Promise<void> {
  const ns = pod.metadata?.namespace ?? 'default';
  if (v.configMap) {
    const cm = await source.configMap(ns, v.configMap.name ?? '');
    if (!cm) {
      if (v.configMap.optional) return void mkdirSync(dir, { recursive: true });
      throw new VolumeError(`configmap "${v.configMap.name}" not found`);
    }
    const c = cm as { data?: Record<string, string>; binaryData?: Record<string, string> };
    const data: Record<string, Buffer> = {};
    for (const [k, val] of Object.entries(c.data ?? {})) data[k] = Buffer.from(val, 'utf8');
    for (const [k, val] of Object.entries(c.binaryData ?? {})) data[k] = Buffer.from(val, 'base64');
    writeKeys(dir, data, v.configMap.items, v.configMap.defaultMode, `configmap ${ns}/${v.configMap.name}`);
    return;
  }
  if (v.secret) {
    const s = await source.secret(ns, v.secret.secretName ?? '');
    if (!s) {
      if (v.secret.optional) return void mkdirSync(dir, { recursive: true });
      throw new VolumeError(`secret "${v.secret.secretName}" not found`);
    }
    const data: Record<string, Buffer> = {};
    for (const [k, val] of Object.entries((s as { data?: Record<string, string> }).data ?? {})) data[k] = Buffer.from(val, 'base64');
    writeKeys(dir, data, v.secret.items, v.secret.defaultMode ?? 0o644, `secret ${ns}/${v.secret.secretName}`);
    return;
  }
  if (v.downwardAPI) {
    mkdirSync(dir, { recursive: true });
    for (const item of v.downwardAPI.items ?? []) {
      const val = item.fieldRef ? fieldRefValue(pod, item.fieldRef.fieldPath, podIP, hostIP) ?? '' : '';
      writeIfChanged(join(dir, safeRelative(item.path)), Buffer.from(val, 'utf8'), item.mode);
    }
    return;
  }
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

/** Creates or refreshes every volume of the pod; throws VolumeError (the pod stays ContainerCreating). */
export async function prepareVolumes(pod: Pod, podDir: string, source: ObjectSource, podIP: string, hostIP: string): Promise<void> {
  for (const v of pod.spec.volumes ?? []) await prepareOne(pod, v, volumeDir(podDir, v.name), source, podIP, hostIP);
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
