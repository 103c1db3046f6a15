import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { registry, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { usageError } from './errors.js';
import type { Io } from './io.js';

// -f FILE|FOLDER|-: multi-document YAML or JSON manifests, `List` documents flattened, each
// object matched to its resource through the registry (by apiVersion and kind).

export interface Manifest {
  /** Where it came from, for messages ("error when creating \"web.yaml\": ..."). */
  source: string;
  object: KubeObject;
  info: ResourceInfo;
}

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

/** The files behind one -f value: the file itself, or a folder's manifests (sorted; -R recurses). */
export function manifestFiles(path: string, cwd: string, recursive = false): string[] {
  const abs = resolve(cwd, path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw usageError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [abs];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(abs, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...manifestFiles(p, cwd, true));
    } else if (MANIFEST_EXT.has(extname(entry.name))) out.push(p);
  }
  return out;
}

async function readStdin(io: Io): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  return text;
}

/** Parses manifest text into objects (documents that are empty or null are skipped). */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw usageError(`error parsing ${source}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    for (const obj of flatten(value, source)) out.push({ source, object: obj, info: infoFor(obj, source) });
  }
  return out;
}

function flatten(value: unknown, source: string): KubeObject[] {
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    throw usageError(`error validating data from ${source}: a manifest must be an object`);
  }
  const v = value as Record<string, unknown>;
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) return v.items.flatMap((i) => flatten(i, source));
  if (typeof v.apiVersion !== 'string' || v.apiVersion === '') throw usageError(`error validating data from ${source}: apiVersion not set`);
  if (typeof v.kind !== 'string' || v.kind === '') throw usageError(`error validating data from ${source}: kind not set`);
  const metadata = typeof v.metadata === 'object' && v.metadata !== null ? v.metadata : {};
  return [{ ...v, metadata } as KubeObject];
}

function infoFor(obj: KubeObject, source: string): ResourceInfo {
  const info = registry.byKind(obj.apiVersion, obj.kind);
  if (!info) {
    throw usageError(`resource mapping not found for name: "${obj.metadata.name ?? ''}" namespace: "${obj.metadata.namespace ?? ''}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
  }
  return info;
}

/** Reads every -f value ("-" is stdin) into manifests, in order. */
export async function readManifests(paths: string[], io: Io, recursive = false): Promise<Manifest[]> {
  if (paths.length === 0) throw usageError('must specify one of -f and -k');
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(await readStdin(io), 'STDIN'));
      continue;
    }
    for (const file of manifestFiles(p, io.cwd, recursive)) out.push(...parseManifests(readFileSync(file, 'utf8'), file === resolve(io.cwd, p) ? p : file));
  }
  return out;
}
