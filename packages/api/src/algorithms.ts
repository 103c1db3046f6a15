// The algorithmic API of @tinykube/api: quantities, label/field selectors, node affinity,
// tolerations, Go durations and the three patch formats. index.ts re-exports everything here.
export * from './quantity.js';
export * from './labels.js';
export * from './fields.js';
export * from './node-affinity.js';
export * from './tolerations.js';
export * from './duration.js';
export { PatchError } from './patch/patch-error.js';
export type { PatchErrorCode } from './patch/patch-error.js';
export { mergePatch } from './patch/merge-patch.js';
export { applyJsonPatch, decodeJsonPatch, escapeJsonPointerToken, parseJsonPointer } from './patch/json-patch.js';
export type { JsonPatchOperation } from './patch/json-patch.js';
export { strategicMergePatch } from './patch/strategic-merge-patch.js';
export { STRATEGIC_PATCH_KINDS, patchMetaForKind, patchMetaOrDefault } from './patch/patch-meta.js';
export type { PatchFieldMeta, PatchMeta } from './patch/patch-meta.js';
export { PATCH_TYPES, applyPatch, patchTypeFromContentType } from './patch/apply-patch.js';
export type { PatchResult, PatchType } from './patch/apply-patch.js';
