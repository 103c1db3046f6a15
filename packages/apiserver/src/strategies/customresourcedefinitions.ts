/** CustomResourceDefinitions: every CRD carries the cleanup finalizer from its creation, so deleting it deletes its objects first. */
import { CLEANUP_FINALIZER } from '../apiextensions/conditions.js';
import type { Strategy } from '../storage/strategy.js';

export function customResourceDefinitionStrategy(): Strategy {
  return {
    prepareForCreate(obj) {
      const f = (obj.metadata.finalizers ??= []);
      if (!f.includes(CLEANUP_FINALIZER)) f.push(CLEANUP_FINALIZER);
    },
  };
}
