export * from './algorithms.js';
