/**
 * Go's base64.StdEncoding.Decode, including where it reports an error ("illegal base64 data at
 * input byte N"): etcd's gateway decodes bytes fields with it and clients see that text.
 * Node's Buffer.from(s, 'base64') is lenient (accepts URL alphabet, missing padding, garbage),
 * so it cannot be used for validation.
 */

const DECODE = new Int16Array(256).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d; // '='
const isNewline = (c: number) => c === 0x0a || c === 0x0d;

export class Base64Error extends Error {
  override readonly name = 'Base64Error';
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** Strict, padded standard base64 (newlines ignored, as Go does). Throws Base64Error. */
export function goBase64Decode(src: Buffer): Buffer {
  // Fast path: canonical input that Node decodes identically.
  if (src.length % 4 === 0 && isCanonical(src)) return Buffer.from(src.toString('latin1'), 'base64');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) si = quantum(src, si, out);
  return Buffer.from(out);
}

function isCanonical(src: Buffer): boolean {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const c = src[i];
    if (DECODE[c] >= 0) continue;
    // '=' only in the last two positions, and "X=" then "=" only.
    if (c === PAD && (i === n - 1 || (i === n - 2 && src[n - 1] === PAD))) continue;
    return false;
  }
  return true;
}

/** One 4-character quantum, ported from Go's decodeQuantum (non-strict mode). */
function quantum(src: Buffer, start: number, out: number[]): number {
  const dbuf = [0, 0, 0, 0];
  let dlen = 4;
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return si;
      throw new Base64Error(si - j); // padding required: an incomplete quantum is an error
    }
    const c = src[si++];
    const v = DECODE[c];
    if (v >= 0) {
      dbuf[j] = v;
      continue;
    }
    if (isNewline(c)) {
      j--;
      continue;
    }
    if (c !== PAD) throw new Base64Error(si - 1);
    // Padding: only valid as "xx==" or "xxx=".
    if (j === 0 || j === 1) throw new Base64Error(si - 1);
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) throw new Base64Error(src.length);
      if (src[si] !== PAD) throw new Base64Error(si - 1);
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    if (si < src.length) throw new Base64Error(si); // trailing garbage
    dlen = j;
    break;
  }
  const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
  const b0 = (val >> 16) & 0xff;
  const b1 = (val >> 8) & 0xff;
  const b2 = val & 0xff;
  if (dlen >= 2) out.push(b0);
  if (dlen >= 3) out.push(b1);
  if (dlen === 4) out.push(b2);
  return si;
}
