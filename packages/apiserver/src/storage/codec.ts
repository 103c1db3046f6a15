/**
 * How objects sit in the store: JSON, keyed /<prefix>/<plural>[/<namespace>]/<name>.
 * Kubernetes keeps most kinds under their plural (/registry/pods/ns/n, /registry/deployments/ns/n) but a few
 * under other names (/registry/services/specs/ns/n, /registry/minions/n); tinykube uses /<prefix>/<plural>/...
 * uniformly, so a key can be derived from the registry alone.
 * The stored JSON carries no resourceVersion: the resourceVersion *is* the key's mod_revision and is
 * filled in when the object is read (as Kubernetes' etcd3 store does).
 */
import type { KubeObject } from '@tinykube/api';

export interface KeyValueLike { key: Buffer; value: Buffer; modRevision: number }

export class KeySpace {
  /** `prefix` without a trailing slash, e.g. '/registry'. */
  constructor(readonly prefix: string) {
    this.prefix = prefix.replace(/\/+$/, '');
  }
  /** All objects of a resource: '/registry/pods/'. */
  resourcePrefix(plural: string): string {
    return `${this.prefix}/${plural}/`;
  }
  /** Objects of a resource in one namespace: '/registry/pods/default/'. */
  namespacePrefix(plural: string, namespace: string): string {
    return `${this.prefix}/${plural}/${namespace}/`;
  }
  objectKey(plural: string, namespace: string | undefined, name: string): string {
    return namespace === undefined ? `${this.prefix}/${plural}/${name}` : `${this.prefix}/${plural}/${namespace}/${name}`;
  }
  /** Records of the allocators (ClusterIPs, NodePorts): outside every resource's prefix. */
  rangePrefix(what: string): string {
    return `${this.prefix}/ranges/${what}/`;
  }
}

/** Serializes an object for the store (without metadata.resourceVersion). */
export function encodeObject(obj: KubeObject): string {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return JSON.stringify(obj);
  const meta = { ...obj.metadata };
  delete meta.resourceVersion;
  return JSON.stringify({ ...obj, metadata: meta });
}

/** Parses a stored value and stamps its resourceVersion from the key's mod_revision. */
export function decodeObject(kv: KeyValueLike): KubeObject {
  const obj = JSON.parse(kv.value.toString('utf8')) as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * How one resource's objects become stored values and back: JSON (jsonCodec), or JSON through an
 * encryption-at-rest transformer (storage/encryption). `key` is the object's etcd key, which encryption
 * binds the value to.
 */
export interface ObjectCodec {
  encode(obj: KubeObject, key: string): string | Buffer;
  /** Throws when the stored value cannot be read. */
  decode(kv: KeyValueLike): KubeObject;
  /** decode, and whether the stored form is stale (written with an older provider or key): a write is due. */
  decodeState?(kv: KeyValueLike): { obj: KubeObject; stale: boolean };
  /** The stored value re-written in the current form, or undefined when it already is; throws like decode. */
  restage?(kv: KeyValueLike): Buffer | undefined;
}

/** Plain JSON: what every resource uses without an encryption configuration. */
export const jsonCodec: ObjectCodec = {
  encode: (obj) => encodeObject(obj),
  decode: decodeObject,
};

/** Deep copy through JSON (objects here are JSON data by construction). */
export function cloneObject<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}
