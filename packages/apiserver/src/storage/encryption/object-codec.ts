/**
 * The storage codec of a resource under encryption at rest: the JSON of storage/codec.ts, passed through
 * the resource's transformer with the etcd key as context.
 */
import type { KubeObject } from '@tinykube/api';
import { decodeObject, encodeObject, type KeyValueLike, type ObjectCodec } from '../codec.js';
import type { EncryptionConfiguration, GroupResource } from './config.js';
import { IDENTITY, transformerFor, type ValueTransformer } from './transformer.js';

export function transformingCodec(t: ValueTransformer): ObjectCodec {
  const decodeState = (kv: KeyValueLike): { obj: KubeObject; stale: boolean } => {
    const { plain, stale } = t.fromStorage(kv.value, kv.key.toString('utf8'));
    return { obj: decodeObject({ key: kv.key, value: plain, modRevision: kv.modRevision }), stale };
  };
  return {
    encode: (obj, key) => t.toStorage(Buffer.from(encodeObject(obj)), key),
    decode: (kv) => decodeState(kv).obj,
    decodeState,
    restage(kv) {
      const key = kv.key.toString('utf8');
      const { plain, stale } = t.fromStorage(kv.value, key);
      return stale ? t.toStorage(plain, key) : undefined;
    },
  };
}

/** The codec for a resource under `config`; undefined when the configuration leaves it untransformed. */
export function codecFor(config: EncryptionConfiguration, resource: GroupResource): ObjectCodec | undefined {
  const t = transformerFor(config, resource);
  return t === IDENTITY ? undefined : transformingCodec(t);
}
