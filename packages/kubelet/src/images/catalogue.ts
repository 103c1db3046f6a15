import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// Image names resolve through a catalogue (no registry is reachable): manifests written for real
// Kubernetes run unchanged. See the package README for the list and for node-local images.

/** packages/kubelet/images, from src/images/ (tsx) and dist/images/ (built) alike. */
export const imagesDir = fileURLToPath(new URL('../../images/', import.meta.url));
export const agnhostScript = join(imagesDir, 'agnhost', 'agnhost.mjs');
/**
 * registry.k8s.io/pause: sleeps until SIGTERM/SIGINT, then exits 0, as the real one does. A shell, not Node.js: a
 * pause container costs about 2 MB and a millisecond to start instead of 40 MB and 0.1 s of CPU.
 */
export const PAUSE_ARGV = ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A node-local image: <root-dir>/images/<name>/<tag>/image.json beside a files/ folder. */
export const LocalImageSchema = z.looseObject({
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
  env: z.union([z.array(z.string()), z.record(z.string(), z.string())]).optional(),
  workingDir: z.string().optional(),
});
export type LocalImage = z.infer<typeof LocalImageSchema>;

export interface ImageRef {
  /** Normalised repository: "busybox", "registry.k8s.io/pause", "myorg/app". */
  name: string;
  tag: string;
}

export interface ResolvedImage {
  imageID: string;
  /** argv[0] is resolved to an executable path when it can be found. */
  argv: string[];
  env: Record<string, string>;
  /** Absolute working folder the image asks for (local images: their files/ folder). */
  workingDir?: string;
}

export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  readonly reason = 'ErrImagePull';
}

/** "docker.io/library/busybox:1.36@sha256:..." → { name: "busybox", tag: "1.36" }. */
export function parseImage(image: string): ImageRef {
  let s = image.trim().replace(/@sha256:[0-9a-f]+$/i, '');
  let tag = 'latest';
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  s = s.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  s = s.replace(/^k8s\.gcr\.io\//, 'registry.k8s.io/');
  return { name: s, tag };
}

interface CatalogueEntry {
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  /** The command and args of the pod are ignored (pause). */
  fixed?: string[];
}

function catalogueEntry(ref: ImageRef): CatalogueEntry | undefined {
  const node = process.execPath;
  const nodePath = `${dirname(node)}:${DEFAULT_PATH}`;
  switch (ref.name) {
    case 'node':
      return { entrypoint: [], cmd: ['node'], env: { PATH: nodePath, NODE_VERSION: process.versions.node } };
    case 'busybox':
      return { entrypoint: [], cmd: ['sh'], env: { PATH: DEFAULT_PATH } };
    case 'alpine':
      return { entrypoint: [], cmd: ['/bin/sh'], env: { PATH: DEFAULT_PATH } };
    case 'registry.k8s.io/pause':
      return { entrypoint: [], cmd: [], env: { PATH: DEFAULT_PATH }, fixed: PAUSE_ARGV };
    case 'registry.k8s.io/e2e-test-images/agnhost':
      return { entrypoint: ['/agnhost'], cmd: ['pause'], env: { PATH: nodePath } };
    default:
      return undefined;
  }
}

/** Kubernetes' rule: command replaces the entrypoint, args replace the cmd. */
export function effectiveArgv(entrypoint: string[], cmd: string[], command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  if (args && args.length > 0) return [...entrypoint, ...args];
  return [...entrypoint, ...cmd];
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds `name` on a PATH string; undefined when nowhere. */
export function which(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/**
 * Maps argv[0] to something this machine can execute: `node` → this Node.js, `/agnhost` → our
 * agnhost script, `busybox <applet>` → the applet, a path missing here → the same name on PATH.
 */
export function resolveArgv(argv: string[], path: string, filesDir?: string): string[] {
  if (argv.length === 0) return argv;
  const [first, ...rest] = argv as [string, ...string[]];
  const base = basename(first);
  if (base === 'agnhost') return [process.execPath, agnhostScript, ...rest];
  if (base === 'node' || base === 'nodejs') return [process.execPath, ...rest];
  if (base === 'busybox' && rest.length > 0) return resolveArgv(rest, path, filesDir);
  if (filesDir) {
    const inImage = isAbsolute(first) ? join(filesDir, first) : first.includes('/') ? join(filesDir, first) : undefined;
    if (inImage && existsSync(inImage)) return [inImage, ...rest];
  }
  if (isAbsolute(first)) {
    if (isExecutable(first)) return argv;
    return [which(base, path) ?? first, ...rest];
  }
  if (first.includes('/')) return argv;
  return [which(first, path) ?? first, ...rest];
}

function envRecord(env: LocalImage['env']): Record<string, string> {
  if (!env) return {};
  if (!Array.isArray(env)) return { ...env };
  const out: Record<string, string> = {};
  for (const kv of env) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function resolveLocal(rootDir: string, ref: ImageRef, command?: string[], args?: string[]): ResolvedImage | undefined {
  const dir = join(rootDir, 'images', ref.name, ref.tag);
  const file = join(dir, 'image.json');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  let img: LocalImage;
  try {
    img = LocalImageSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new ImagePullError(`local image ${ref.name}:${ref.tag}: invalid image.json: ${(err as Error).message}`);
  }
  const filesDir = join(dir, 'files');
  const env = { PATH: `${join(filesDir, 'bin')}:${dirname(process.execPath)}:${DEFAULT_PATH}`, ...envRecord(img.env) };
  const argv = resolveArgv(effectiveArgv(img.entrypoint ?? [], img.cmd ?? [], command, args), env.PATH ?? DEFAULT_PATH, filesDir);
  const workingDir = img.workingDir ? (isAbsolute(img.workingDir) ? join(filesDir, img.workingDir) : join(filesDir, img.workingDir)) : filesDir;
  return { imageID: `sha256:${createHash('sha256').update(text).digest('hex')}`, argv, env: { ...env, TK_IMAGE_ROOT: filesDir }, workingDir };
}

export interface ResolveOptions {
  image: string;
  command?: string[];
  args?: string[];
  /** The kubelet's --root-dir, for node-local images. */
  rootDir: string;
}

/** Resolves a container's image and command to something runnable; throws ImagePullError for unknown images. */
export function resolveImage(o: ResolveOptions): ResolvedImage {
  const ref = parseImage(o.image);
  const local = resolveLocal(o.rootDir, ref, o.command, o.args);
  if (local) return local;
  const entry = catalogueEntry(ref);
  if (!entry) {
    throw new ImagePullError(
      `failed to pull image "${o.image}": not in tinykube's image catalogue and no node-local image at ${join(o.rootDir, 'images', ref.name, ref.tag)}`,
    );
  }
  const imageID = `tinykube-catalogue://${ref.name}:${ref.tag}`;
  if (entry.fixed) return { imageID, argv: entry.fixed, env: entry.env };
  let argv = effectiveArgv(entry.entrypoint, entry.cmd, o.command, o.args);
  // The node image's docker-entrypoint.sh runs `node "$@"` when the first arg is a flag or a script.
  if (ref.name === 'node' && !o.command?.length && argv[0] !== undefined && /^-|\.(m|c)?js$/.test(argv[0])) argv = ['node', ...argv];
  return { imageID, argv: resolveArgv(argv, entry.env.PATH ?? DEFAULT_PATH), env: entry.env };
}
