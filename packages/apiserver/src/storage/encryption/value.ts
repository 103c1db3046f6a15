/**
 * The value-transformer contract (k8s.io/apiserver/pkg/storage/value): bytes to and from their stored form,
 * with the storage key as context (AES-GCM authenticates it, so a value copied to another key does not
 * decrypt), and kube's prefix dispatch that lets several providers and keys coexist.
 */

export interface FromStorage {
  plain: Buffer;
  /** not written with the current write provider and key: a caller should re-write it */
  stale: boolean;
}

export interface ValueTransformer {
  toStorage(plain: Buffer, key: string): Buffer;
  /** Throws when the value cannot be read. */
  fromStorage(stored: Buffer, key: string): FromStorage;
}

export interface PrefixTransformer { prefix: Buffer; transformer: ValueTransformer }

/** `[a, b]` for several errors, as apimachinery's error aggregates print; the error itself for one. */
function reduce(errs: Error[]): Error {
  return errs.length === 1 ? errs[0] : new Error(`[${errs.map((e) => e.message).join(', ')}]`);
}

/**
 * kube's NewPrefixTransformers: writes with the first transformer under its prefix; reads with every
 * transformer whose prefix the value has, in order, returning the first success — stale unless it was the
 * first. A prefix match that fails does not end the search (two entries of one provider share a prefix);
 * an empty prefix (identity) that fails is skipped silently. `noMatch` is the error when nothing matched.
 */
export function prefixTransformers(noMatch: string, list: PrefixTransformer[]): ValueTransformer {
  if (list.length === 0) throw new Error('prefixTransformers needs at least one transformer');
  const [first] = list;
  return {
    toStorage(plain, key) {
      return Buffer.concat([first.prefix, first.transformer.toStorage(plain, key)]);
    },
    fromStorage(stored, key) {
      const errs: Error[] = [];
      for (let i = 0; i < list.length; i++) {
        const { prefix, transformer } = list[i];
        if (!hasPrefix(stored, prefix)) continue;
        let out: FromStorage;
        try {
          out = transformer.fromStorage(stored.subarray(prefix.length), key);
        } catch (err) {
          if (prefix.length > 0) errs.push(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        return i === 0 ? out : { plain: out.plain, stale: true };
      }
      throw errs.length > 0 ? reduce(errs) : new Error(noMatch);
    },
  };
}

export function hasPrefix(b: Buffer, prefix: Buffer): boolean {
  return b.length >= prefix.length && b.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
