// One entry point for the apiserver's PATCH verb: pick the format by content type, apply it,
// and return the outcome as a value (errors carry the HTTP status to answer).

import { applyJsonPatch } from './json-patch.js';
import { isJsonObject } from './json-value.js';
import { mergePatch } from './merge-patch.js';
import { PatchError } from './patch-error.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

export type PatchType =
  | 'application/json-patch+json'
  | 'application/merge-patch+json'
  | 'application/strategic-merge-patch+json';

export const PATCH_TYPES: readonly PatchType[] = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/** The patch type named by a Content-Type header (parameters ignored), if it is one we apply. */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return (PATCH_TYPES as readonly string[]).includes(mediaType) ? (mediaType as PatchType) : undefined;
}

export type PatchResult = { ok: true; value: unknown } | { ok: false; error: PatchError };

/**
 * Applies `patch` (already JSON-decoded) of `type` to `original`, an object of `kind`.
 * Never throws for bad patches: errors come back as `{ ok: false, error }` with
 * `error.status` 400 (malformed) or 422 (cannot apply). The inputs are not modified.
 */
export function applyPatch(type: PatchType, original: unknown, patch: unknown, kind: string): PatchResult {
  try {
    switch (type) {
      case 'application/json-patch+json':
        return { ok: true, value: applyJsonPatch(original, patch) };
      case 'application/merge-patch+json':
        // Kubernetes refuses a merge patch that is not an object rather than replacing the object.
        if (!isJsonObject(patch)) throw new PatchError('BadPatchDocument', 'invalid JSON merge patch: the patch must be a JSON object');
        return { ok: true, value: mergePatch(original, patch) };
      case 'application/strategic-merge-patch+json':
        return { ok: true, value: strategicMergePatch(original, patch, kind) };
    }
  } catch (err) {
    if (err instanceof PatchError) return { ok: false, error: err };
    // The patch functions recurse over the documents; absurd nesting exhausts the stack.
    if (err instanceof RangeError) return { ok: false, error: new PatchError('BadPatchDocument', 'the patch or the object is nested too deeply') };
    throw err;
  }
}
