import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeManifests, type ManifestContext } from './manifests.js';
import type { NodeSpec } from './topology.js';

/** Writes a file only when its content changes (a rewritten static pod manifest would restart its pod). */
export function writeIfChanged(file: string, content: string, mode = 0o644): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content, { mode });
  return true;
}

/**
 * Writes one node's static pod manifests into its manifest folder: what the local launcher does for every node
 * and node-init does for the one node of a container. Returns the files that changed.
 */
export function writeNodeManifests(ctx: ManifestContext, node: NodeSpec): string[] {
  mkdirSync(node.manifestDir, { recursive: true });
  const changed: string[] = [];
  for (const [file, text] of Object.entries(nodeManifests(ctx, node))) {
    const target = path.join(node.manifestDir, file);
    if (writeIfChanged(target, text)) changed.push(target);
  }
  return changed;
}
