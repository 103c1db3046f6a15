/**
 * A JSON reader that fails exactly like Go's encoding/json, because etcd's gateway answers bad
 * bodies with Go's own error text ("invalid character 'b' looking for beginning of object key
 * string", "unexpected EOF", ...) and clients compare against a real etcd.
 *
 * Two modes mirror the two Go entry points the gateway uses:
 * - 'decoder' (json.Decoder.Decode): reads the first value and ignores whatever follows it;
 *   running out of input inside a value is "unexpected EOF"; an all-whitespace input is EOF.
 * - 'unmarshal' (json.Unmarshal): the whole input must be one value; running out is
 *   "unexpected end of JSON input"; trailing bytes are "... after top-level value".
 *
 * The parse is iterative (explicit stack) so deeply nested garbage cannot blow the JS stack.
 */

export type JNode =
  | { t: 'obj'; fields: Map<string, JNode> }
  | { t: 'arr'; items: JNode[] }
  /** start/end delimit the bytes between the quotes (escapes not processed). */
  | { t: 'str'; src: Buffer; start: number; end: number; escaped: boolean }
  | { t: 'num'; text: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

/** A syntax or type error whose message is Go's, byte for byte. */
export class GoJsonError extends Error {
  override readonly name = 'GoJsonError';
}

const MAX_DEPTH = 10_000; // Go's maxNestingDepth

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's strconv.IsPrint for runes U+0000..U+00FF (all a byte can become via string(rune(b))). */
function isPrintLatin1(c: number): boolean {
  if (c < 0x20 || c === 0x7f) return false;
  if (c >= 0x80 && c <= 0xa0) return false;
  return c !== 0xad;
}

/** Go's scanner quoteChar: how a bad byte is shown inside an error message. */
export function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return `'${goQuoteRune(c)}'`;
}

function goQuoteRune(c: number): string {
  switch (c) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    case 0x5c: return '\\\\';
    case 0x22: return '\\"';
  }
  if (isPrintLatin1(c)) return String.fromCharCode(c);
  if (c < 0x80) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

/** Go's %q / strconv.Quote for a byte string (used in jsonpb enum errors). */
export function goQuote(bytes: Buffer): string {
  const s = bytes.toString('utf8');
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x100) out += goQuoteRune(cp);
    else if (cp === 0xfffd) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

function syntaxErr(c: number, context: string): GoJsonError {
  return new GoJsonError(`invalid character ${quoteChar(c)} ${context}`);
}

type Frame = { node: { t: 'obj'; fields: Map<string, JNode> }; key: string } | { node: { t: 'arr'; items: JNode[] }; key?: undefined };

class Reader {
  pos: number;
  constructor(readonly src: Buffer, start: number, readonly mode: 'decoder' | 'unmarshal') {
    this.pos = start;
  }

  eofErr(): GoJsonError {
    return new GoJsonError(this.mode === 'decoder' ? 'unexpected EOF' : 'unexpected end of JSON input');
  }

  skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length && isSpace(s[this.pos])) this.pos++;
  }

  /** Next non-space byte, or throws the EOF error. */
  peek(): number {
    this.skipSpace();
    if (this.pos >= this.src.length) throw this.eofErr();
    return this.src[this.pos];
  }

  /** Reads one complete value (the caller already checked that input remains). */
  value(): JNode {
    const stack: Frame[] = [];
    let result: JNode | undefined;
    for (;;) {
      // Expecting the beginning of a value.
      const c = this.peek();
      let node: JNode;
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (stack.length >= MAX_DEPTH) throw syntaxErr(c, 'exceeded max depth');
        this.pos++;
        const close = c === 0x7b ? 0x7d : 0x5d;
        const d = this.peek();
        if (c === 0x7b) {
          const obj = { t: 'obj' as const, fields: new Map<string, JNode>() };
          if (d === close) {
            this.pos++;
            node = obj;
          } else {
            stack.push({ node: obj, key: this.objectKey() });
            continue;
          }
        } else {
          const arr = { t: 'arr' as const, items: [] as JNode[] };
          if (d === close) {
            this.pos++;
            node = arr;
          } else {
            stack.push({ node: arr });
            continue;
          }
        }
      } else {
        node = this.scalar(c);
      }
      // A value is complete: attach it and find what comes next.
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) {
          result = node;
          break;
        }
        if (top.node.t === 'obj') top.node.fields.set(top.key as string, node);
        else top.node.items.push(node);
        const d = this.peek();
        if (d === 0x2c /* , */) {
          this.pos++;
          if (top.node.t === 'obj') top.key = this.objectKey();
          break; // read the next value
        }
        if ((top.node.t === 'obj' && d === 0x7d) || (top.node.t === 'arr' && d === 0x5d)) {
          this.pos++;
          stack.pop();
          node = top.node;
          continue;
        }
        throw syntaxErr(d, top.node.t === 'obj' ? 'after object key:value pair' : 'after array element');
      }
      if (result) return result;
    }
  }

  /** Reads `"key" :` and returns the key. */
  private objectKey(): string {
    const c = this.peek();
    if (c !== 0x22) throw syntaxErr(c, 'looking for beginning of object key string');
    const key = stringValue(this.string());
    const d = this.peek();
    if (d !== 0x3a /* : */) throw syntaxErr(d, 'after object key');
    this.pos++;
    return key;
  }

  private scalar(c: number): JNode {
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true', { t: 'bool', v: true });
    if (c === 0x66) return this.literal('false', { t: 'bool', v: false });
    if (c === 0x6e) return this.literal('null', { t: 'null' });
    throw syntaxErr(c, 'looking for beginning of value');
  }

  private byteOrEof(): number {
    if (this.pos >= this.src.length) throw this.eofErr();
    return this.src[this.pos];
  }

  private string(): JNode {
    const s = this.src;
    const start = ++this.pos;
    let escaped = false;
    for (;;) {
      const c = this.byteOrEof();
      if (c === 0x22) {
        this.pos++;
        return { t: 'str', src: s, start, end: this.pos - 1, escaped };
      }
      if (c === 0x5c) {
        escaped = true;
        this.pos++;
        const e = this.byteOrEof();
        if (e === 0x75 /* u */) {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            const h = this.byteOrEof();
            if (!isHex(h)) throw syntaxErr(h, 'in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          throw syntaxErr(e, 'in string escape code');
        }
        this.pos++;
        continue;
      }
      if (c < 0x20) throw syntaxErr(c, 'in string literal');
      this.pos++;
    }
  }

  private digits(): void {
    while (this.pos < this.src.length && isDigit(this.src[this.pos])) this.pos++;
  }

  private number(): JNode {
    const s = this.src;
    const start = this.pos;
    if (s[this.pos] === 0x2d) {
      this.pos++;
      const c = this.byteOrEof();
      if (!isDigit(c)) throw syntaxErr(c, 'in numeric literal');
    }
    if (s[this.pos] === 0x30) this.pos++;
    else this.digits();
    if (this.pos < s.length && s[this.pos] === 0x2e /* . */) {
      this.pos++;
      const c = this.byteOrEof();
      if (!isDigit(c)) throw syntaxErr(c, 'after decimal point in numeric literal');
      this.digits();
    }
    if (this.pos < s.length && (s[this.pos] === 0x65 || s[this.pos] === 0x45)) {
      this.pos++;
      let c = this.byteOrEof();
      if (c === 0x2b || c === 0x2d) {
        this.pos++;
        c = this.byteOrEof();
      }
      if (!isDigit(c)) throw syntaxErr(c, 'in exponent of numeric literal');
      this.digits();
    }
    return { t: 'num', text: s.toString('latin1', start, this.pos) };
  }

  private literal(word: string, node: JNode): JNode {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      const c = this.byteOrEof();
      if (c !== word.charCodeAt(i)) throw syntaxErr(c, `in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
    return node;
  }
}

/** json.Decoder.Decode: the first value of `src`, or undefined for an empty (all-space) body. */
export function decodeFirst(src: Buffer, start = 0): { node: JNode; end: number } | undefined {
  const r = new Reader(src, start, 'decoder');
  r.skipSpace();
  if (r.pos >= src.length) return undefined;
  const node = r.value();
  return { node, end: r.pos };
}

/** json.Unmarshal's syntax check and parse: exactly one value, nothing after it. */
export function unmarshalValue(src: Buffer): JNode {
  const r = new Reader(src, 0, 'unmarshal');
  const node = r.value();
  r.skipSpace();
  if (r.pos < src.length) throw syntaxErr(src[r.pos], 'after top-level value');
  return node;
}

/** The string's value after processing escapes (Go and JSON.parse agree on these). */
export function stringValue(n: JNode): string {
  if (n.t !== 'str') throw new Error('not a string node');
  const raw = n.src.toString('utf8', n.start, n.end);
  if (!n.escaped) return raw;
  return JSON.parse(`"${raw}"`) as string;
}

/** The UTF-8 bytes of a string node's value. */
export function stringBytes(n: JNode): Buffer {
  if (n.t !== 'str') throw new Error('not a string node');
  if (!n.escaped) {
    let ascii = true;
    for (let i = n.start; i < n.end; i++) if (n.src[i] >= 0x80) { ascii = false; break; }
    if (ascii) return n.src.subarray(n.start, n.end);
  }
  return Buffer.from(stringValue(n), 'utf8');
}

/** Go's name for a JSON value's kind in UnmarshalTypeError messages. */
export function goKind(n: JNode): string {
  switch (n.t) {
    case 'obj': return 'object';
    case 'arr': return 'array';
    case 'str': return 'string';
    case 'num': return 'number';
    case 'bool': return 'bool';
    case 'null': return 'null';
  }
}

/**
 * Go's encoding/json string encoding (HTML-safe, as the gateway's marshaler writes it), so error
 * messages containing '<' or control characters come out as etcd writes them.
 */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += s[i];
  }
  return `${out}"`;
}
