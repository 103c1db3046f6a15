/**
 * The identity provider: values stored as they are. Reading refuses what is plainly encrypted data
 * (`k8s:enc:` is reserved for it), so an identity provider listed first — to migrate away from encryption —
 * lets the encrypted values fall through to the providers after it (kube's encrypt/identity).
 */
import type { ValueTransformer } from './value.js';

export const ENCRYPTED_PREFIX = Buffer.from('k8s:enc:');

export const identityTransformer: ValueTransformer = {
  toStorage: (plain) => plain,
  fromStorage(stored) {
    if (stored.length >= ENCRYPTED_PREFIX.length && stored.compare(ENCRYPTED_PREFIX, 0, ENCRYPTED_PREFIX.length, 0, ENCRYPTED_PREFIX.length) === 0) {
      throw new Error('identity transformer tried to read encrypted data');
    }
    return { plain: stored, stale: false };
  },
};
