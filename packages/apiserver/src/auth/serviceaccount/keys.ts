/**
 * ServiceAccount token keys, read as kube-apiserver reads them:
 * - `--service-account-signing-key-file`: one private key, RSA (RS256) or EC P-256/P-384/P-521 (ES256/384/512),
 *   the first `RSA PRIVATE KEY`, `EC PRIVATE KEY` or `PRIVATE KEY` block of the file (other blocks, such as
 *   `EC PARAMETERS`, are skipped);
 * - `--service-account-key-file` (repeatable): every RSA or EC key of every PEM block of each file — public
 *   keys, certificates, and private keys reduced to their public key; other blocks are skipped.
 * A key's id is kube's: base64url (no padding) of the SHA-256 of its PKIX (SubjectPublicKeyInfo) DER.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface PublicKey {
  keyId: string;
  key: KeyObject;
  /** the algorithm kube advertises for it in the JWKS */
  alg: SigningAlgorithm;
}

export interface SigningKey extends PublicKey {
  privateKey: KeyObject;
}

const EC_ALGORITHMS: Record<string, SigningAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** RS256 for RSA, ES256/384/512 by curve for EC; undefined for any other key (kube accepts no other). */
export function algorithmOf(key: KeyObject): SigningAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

interface PemBlock { type: string; text: string }

function pemBlocks(data: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(data); m; m = re.exec(data)) out.push({ type: m[1]!, text: m[0] });
  return out;
}

function tryKey(make: () => KeyObject): KeyObject | undefined {
  try { return make(); } catch { return undefined; }
}

function publicKeyOfBlock(block: PemBlock): KeyObject | undefined {
  if (block.type === 'CERTIFICATE') return tryKey(() => new X509Certificate(block.text).publicKey);
  if (block.type.endsWith('PRIVATE KEY')) {
    const priv = tryKey(() => createPrivateKey(block.text));
    return priv && createPublicKey(priv);
  }
  if (block.type.endsWith('PUBLIC KEY')) return tryKey(() => createPublicKey(block.text));
  return undefined;
}

function toPublicKey(key: KeyObject, alg: SigningAlgorithm): PublicKey {
  return { keyId: keyIdOf(key), key, alg };
}

/** Every RSA/EC public key of a PEM document (keyutil.ParsePublicKeysPEM). */
export function parsePublicKeysPem(data: string): PublicKey[] {
  const keys: PublicKey[] = [];
  for (const block of pemBlocks(data)) {
    const key = publicKeyOfBlock(block);
    const alg = key && algorithmOf(key);
    if (key && alg) keys.push(toPublicKey(key, alg));
  }
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}

const PRIVATE_BLOCKS = new Set(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY']);

/** The first RSA/EC private key of a PEM document (keyutil.ParsePrivateKeyPEM). */
export function parseSigningKeyPem(data: string): SigningKey {
  for (const block of pemBlocks(data)) {
    if (!PRIVATE_BLOCKS.has(block.type)) continue;
    const privateKey = tryKey(() => createPrivateKey(block.text));
    if (!privateKey) continue;
    if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec') {
      throw new Error('unknown private key type in PKCS#8 wrapping');
    }
    const alg = algorithmOf(privateKey);
    if (!alg) throw new Error('unknown private key curve, must be 256, 384, or 521');
    return { ...toPublicKey(createPublicKey(privateKey), alg), privateKey };
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

export async function loadSigningKey(file: string): Promise<SigningKey> {
  const data = await readFile(file, 'utf8');
  try {
    return parseSigningKeyPem(data);
  } catch (err) {
    throw new Error(`error reading private key file ${file}: ${(err as Error).message}`);
  }
}

/** The verification keys of all `--service-account-key-file`s, in flag then file order. */
export async function loadPublicKeys(files: readonly string[]): Promise<PublicKey[]> {
  const out: PublicKey[] = [];
  for (const file of files) {
    const data = await readFile(file, 'utf8');
    try {
      out.push(...parsePublicKeysPem(data));
    } catch (err) {
      throw new Error(`error reading public key file ${file}: ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * kube's static public-keys getter: a token without `kid` is tried against every key, one with a `kid`
 * only against the keys of that id (none: the token cannot verify).
 */
export class PublicKeySet {
  private readonly byId = new Map<string, PublicKey[]>();

  constructor(private readonly keys: readonly PublicKey[]) {
    for (const k of keys) this.byId.set(k.keyId, [...(this.byId.get(k.keyId) ?? []), k]);
  }

  all(): PublicKey[] {
    return [...this.keys];
  }

  forKeyId(kid: string | undefined): PublicKey[] {
    if (!kid) return this.all();
    return [...(this.byId.get(kid) ?? [])];
  }
}
