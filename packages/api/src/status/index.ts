export * from './schema.js';
export * from './api-error.js';
export * from './predicates.js';
export * from './constructors.js';
export * from './go-order.js';
