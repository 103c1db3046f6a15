/**
 * The transformer of one resource under an EncryptionConfiguration, built as kube-apiserver builds it:
 * every providers list that names the resource (exactly, else through `*.group`, else `*.*`) contributes
 * its providers in file order; the first provider and its first key write, all of them read.
 * Stored values carry `k8s:enc:<provider>:v1:<key name>:`; identity adds nothing. A value without the
 * `k8s:enc:` prefix is plain text: readable (and stale, unless identity writes) only when identity is
 * among the providers — otherwise an error, as kube's "no matching prefix found".
 * Resources the configuration does not name are not transformed (IDENTITY).
 */
import { aesCbcTransformer, aesGcmTransformer } from './aes.js';
import { grString, parseGroupResource, type EncryptionConfiguration, type EncryptionKey, type GroupResource, type ProviderConfiguration } from './config.js';
import { ENCRYPTED_PREFIX, identityTransformer } from './identity.js';
import { secretboxTransformer } from './secretbox.js';
import { hasPrefix, prefixTransformers, type FromStorage, type PrefixTransformer, type ValueTransformer } from './value.js';

export type { FromStorage, ValueTransformer } from './value.js';

/** No transformation: what a resource outside the configuration gets (callers may compare against it). */
export const IDENTITY: ValueTransformer = { toStorage: (plain) => plain, fromStorage: (stored) => ({ plain: stored, stale: false }) };

/** A stored value that cannot be read (or a value that cannot be written) with the configured providers. */
export class ValueTransformError extends Error {
  constructor(readonly resource: string, readonly key: string, message: string) {
    super(message);
    this.name = 'ValueTransformError';
  }
}

function keyed(providerPrefix: string, keys: EncryptionKey[], make: (key: Buffer) => ValueTransformer, noKey: string): PrefixTransformer {
  const perKey = keys.map((k) => ({ prefix: Buffer.from(`${k.name}:`), transformer: make(Buffer.from(k.secret, 'base64')) }));
  return { prefix: Buffer.from(providerPrefix), transformer: prefixTransformers(noKey, perKey) };
}

function providerTransformer(p: ProviderConfiguration): PrefixTransformer {
  if (p.aesgcm) return keyed('k8s:enc:aesgcm:v1:', p.aesgcm.keys, aesGcmTransformer, 'no matching key was found for the provided AES transformer');
  if (p.aescbc) return keyed('k8s:enc:aescbc:v1:', p.aescbc.keys, aesCbcTransformer, 'no matching key was found for the provided AES transformer');
  if (p.secretbox) return keyed('k8s:enc:secretbox:v1:', p.secretbox.keys, secretboxTransformer, 'no matching key was found for the provided Secretbox transformer');
  if (p.identity) return { prefix: Buffer.alloc(0), transformer: identityTransformer };
  throw new Error('provider does not contain any of the expected providers: AESGCM, AESCBC, Secretbox, Identity');
}

interface Compiled { byResource: Map<string, { list: PrefixTransformer[]; hasIdentity: boolean }>; built: Map<string, ValueTransformer> }

const cache = new WeakMap<EncryptionConfiguration, Compiled>();

function compile(config: EncryptionConfiguration): Compiled {
  const byResource: Compiled['byResource'] = new Map();
  for (const rc of config.resources) {
    const list = rc.providers.map(providerTransformer);
    const hasIdentity = rc.providers.some((p) => p.identity !== undefined);
    for (const r of rc.resources) {
      const gr = parseGroupResource(r);
      const id = `${gr.group}/${gr.resource}`;
      const cur = byResource.get(id);
      if (cur) { cur.list.push(...list); cur.hasIdentity ||= hasIdentity; } else byResource.set(id, { list: [...list], hasIdentity });
    }
  }
  return { byResource, built: new Map() };
}

/** The transformer for `resource` (group '' = core). Instances are shared per configuration and resource. */
export function transformerFor(config: EncryptionConfiguration, resource: GroupResource): ValueTransformer {
  let c = cache.get(config);
  if (!c) { c = compile(config); cache.set(config, c); }
  const id = `${resource.group}/${resource.resource}`;
  let t = c.built.get(id);
  if (t) return t;
  const entry = c.byResource.get(id) ?? c.byResource.get(`${resource.group}/*`) ?? c.byResource.get('*/*');
  t = entry ? named(grString(resource), prefixTransformers('no matching prefix found', entry.list), entry.hasIdentity) : IDENTITY;
  c.built.set(id, t);
  return t;
}

/** Errors that name the resource and the key, and say why a plain-text value is refused. */
function named(resource: string, inner: ValueTransformer, hasIdentity: boolean): ValueTransformer {
  return {
    toStorage(plain, key) {
      try {
        return inner.toStorage(plain, key);
      } catch (err) {
        throw new ValueTransformError(resource, key, `unable to encrypt ${resource} at ${JSON.stringify(key)}: ${(err as Error).message}`);
      }
    },
    fromStorage(stored, key): FromStorage {
      try {
        return inner.fromStorage(stored, key);
      } catch (err) {
        const plain = !hasPrefix(stored, ENCRYPTED_PREFIX);
        const why = plain && !hasIdentity ? ' (the value is not encrypted, and identity is not among the providers configured for it)' : '';
        throw new ValueTransformError(resource, key, `unable to decrypt ${resource} at ${JSON.stringify(key)}: ${(err as Error).message}${why}`);
      }
    },
  };
}
