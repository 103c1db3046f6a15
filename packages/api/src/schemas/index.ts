// The zod schemas of every kind tinykube serves; types are z.infer of these.
export * from './primitives.js';
export * from './meta.js';
export * from './container.js';
export * from './pod.js';
export * from './node.js';
export * from './service.js';
export * from './config.js';
export * from './apps.js';
export * from './misc.js';
export * from './authentication.js';
export * from './rbac.js';
export * from './authorization.js';
export * from './certificates.js';
export * from './apiextensions.js';
