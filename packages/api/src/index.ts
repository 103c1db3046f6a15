// @tinykube/api: the only public door of this package.
export * from './schemas/index.js';
export type { ResourceInfo, TableColumn, TableCell } from './registry-types.js';
export { registry, STANDARD_VERBS } from './registry.js';
export type { Registry } from './registry.js';
export { ageString, humanDuration } from './age.js';
export { applyDefaults, defaultPullPolicy, qosClass, DEFAULT_TOLERATION_SECONDS } from './defaults.js';
export { validateObject, invalidMessage } from './validate.js';
export type { FieldCause, ValidationResult } from './validate.js';
export { toTable } from './table.js';
export type { IncludeObject, ToTableOptions } from './table.js';
export * from './names.js';
export { validateLabels, validateAnnotations } from './validation/meta.js';
export { stripNulls } from './strip-nulls.js';
export { podSummary } from './columns/pod.js';
export type { PodSummary } from './columns/pod.js';
export { nodeRoles, nodeStatus } from './columns/core.js';
export { formatLabels, selectorString } from './columns/common.js';
export * from './algorithms.js';
