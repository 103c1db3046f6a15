// Server-side apply and managedFields (FieldsV1), kube's structured-merge-diff semantics.
export { FieldSet, pathString, type Path } from './field-set.js';
export { builtinSemantics, type ListType, type SemanticsForKind, type TypeSemantics } from './semantics.js';
export { compareObjects, fieldSetOf, type Comparison } from './walk.js';
export { mergeApplied, removePaths } from './merge.js';
export { decodeManagers, encodeManagers, isResetManagedFields, managerId, printManager, type ManagedFieldsEntry, type Manager, type Operation } from './managers.js';
export { applyConfiguration, trackUpdate, type ApplyResult, type Conflict, type WriteIdentity } from './field-manager.js';
export { applyConflict } from './apply-conflict.js';
export { conflictsAllowedByLastApplied, withLastApplied, LAST_APPLIED_ANNOTATION, KUBECTL_APPLY_MANAGER } from './client-side-apply.js';
