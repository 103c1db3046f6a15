import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { VolumeError } from './volume-error.js';

// The files of a kubelet-managed volume (configMap, secret, downwardAPI, projected), written as a whole
// payload (kube's AtomicWriter, simplified): each changed file is written to a temp file beside it and renamed
// into place, so a reader sees the old content or the new, never half a file (a token being refreshed
// included); files the payload no longer has are removed. Unchanged files are not touched.

/** One file of a payload: content and permission bits. */
export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Files by path relative to the volume folder. */
export type Payload = Map<string, FileProjection>;

/** A path inside the volume (leading `/` and `..` dropped); throws if it would still escape. */
export function safeRelative(p: string): string {
  const n = normalize(p).replace(/^(\.\.(\/|$))+/, '').replace(/^\/+/, '');
  if (n.startsWith('..')) throw new VolumeError(`path ${p} escapes the volume`);
  return n;
}

function isCurrent(path: string, f: FileProjection): boolean {
  try {
    const st = lstatSync(path);
    return st.isFile() && (st.mode & 0o777) === (f.mode & 0o777) && readFileSync(path).equals(f.data);
  } catch {
    return false;
  }
}

let seq = 0;

function writeAtomically(path: string, f: FileProjection): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    if (lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
  } catch {
    // absent
  }
  const tmp = join(dirname(path), `..${process.pid}.${++seq}.tmp`);
  writeFileSync(tmp, f.data, { mode: f.mode & 0o777 });
  chmodSync(tmp, f.mode & 0o777); // writeFileSync's mode is masked by the umask
  renameSync(tmp, path);
}

/** Every file (not folder) under dir, as paths relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, base) : [relative(base, p)];
  });
}

/** Makes `dir` hold exactly the payload's files. */
export function writePayload(dir: string, payload: Payload): void {
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  for (const [rel, f] of payload) {
    const safe = safeRelative(rel);
    if (!safe || safe === '.') throw new VolumeError(`invalid file path ${JSON.stringify(rel)}`);
    wanted.add(safe);
    const path = join(dir, safe);
    if (!isCurrent(path, f)) writeAtomically(path, f);
  }
  for (const rel of filesUnder(dir)) if (!wanted.has(rel)) rmSync(join(dir, rel), { force: true });
}
