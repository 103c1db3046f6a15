import type { KubeObject } from '@tinykube/api';
import { sortKeys } from '../printers/structured.js';

// The `kubectl.kubernetes.io/last-applied-configuration` annotation: the manifest as applied,
// compact JSON with sorted keys and a trailing newline (what kubectl writes), without the
// annotation itself, with `metadata.annotations` ({} when empty) and the namespace filled in.

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The annotation's value for a manifest (whose namespace, if namespaced, is already set). */
export function lastAppliedValue(manifest: KubeObject): string {
  const annotations = { ...(manifest.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const doc = { ...manifest, metadata: { ...manifest.metadata, annotations } };
  return JSON.stringify(sortKeys(doc)) + '\n';
}

/** The manifest with its last-applied annotation set: what apply creates, or patches towards. */
export function withLastApplied(manifest: KubeObject): KubeObject {
  const value = lastAppliedValue(manifest);
  return {
    ...manifest,
    metadata: { ...manifest.metadata, annotations: { ...(manifest.metadata.annotations ?? {}), [LAST_APPLIED]: value } },
  };
}

/** The last-applied configuration recorded on a live object, if any (unparsable counts as none). */
export function readLastApplied(live: KubeObject): Record<string, unknown> | undefined {
  const raw = live.metadata.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
