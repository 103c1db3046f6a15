/**
 * Decodes request bodies the way etcd 3.4's gateway does (grpc-gateway v1 + golang/protobuf's
 * jsonpb with unknown fields allowed), so the same mistake gets the same error text:
 * - fields are taken in proto declaration order, oneof members after the regular fields;
 * - both the proto name (range_end) and the lowerCamel JSON name (rangeEnd) are accepted;
 * - bytes are standard base64; int64 may be a JSON number or a quoted one; enums a name or number;
 * - `null` means "not set".
 * Also computes the protobuf wire size of a decoded message, because etcd's size limits apply to
 * the protobuf encoding, not to the JSON body.
 */
import { Base64Error, goBase64Decode } from './gobase64.js';
import { GoJsonError, goKind, goQuote, stringBytes, unmarshalValue, type JNode } from './gojson.js';

export type FieldKind =
  | { k: 'bytes' }
  | { k: 'int64' }
  | { k: 'bool' }
  | { k: 'enum'; goType: string; values: Readonly<Record<string, number>> }
  | { k: 'msg'; desc: () => MsgDesc };

export interface FieldDesc {
  name: string;
  /** lowerCamel JSON name (jsonpb accepts both; camel wins when both are present). */
  camel: string;
  no: number;
  kind: FieldKind;
  repeated?: boolean;
  /** Members of one oneof share this name; at most one ends up set. */
  oneof?: string;
}

export interface MsgDesc {
  fields: FieldDesc[];
}

export type Decoded = Record<string, unknown>;

const typeErr = (what: string, goType: string) => new GoJsonError(`json: cannot unmarshal ${what} into Go value of type ${goType}`);

/** Decodes one message from an already-parsed JSON value. Throws GoJsonError / Base64Error. */
export function decodeMessage(node: JNode | undefined, desc: MsgDesc): Decoded {
  const out: Decoded = {};
  let fields: Map<string, JNode> | undefined;
  if (node && node.t !== 'null') {
    if (node.t !== 'obj') throw typeErr(goKind(node), 'map[string]json.RawMessage');
    fields = node.fields;
  }
  const take = (f: FieldDesc): JNode | undefined => fields?.get(f.camel) ?? fields?.get(f.name);
  for (const f of desc.fields) {
    if (f.oneof) continue;
    out[f.name] = decodeField(take(f), f);
  }
  for (const f of desc.fields) {
    if (!f.oneof) continue;
    const raw = take(f);
    if (raw === undefined) continue;
    // A oneof member set to null is still "set" in jsonpb (it allocates the wrapper).
    for (const g of desc.fields) if (g.oneof === f.oneof) delete out[g.name];
    out[f.name] = decodeField(raw, f, true);
  }
  return out;
}

function decodeField(raw: JNode | undefined, f: FieldDesc, inOneof = false): unknown {
  if (f.repeated) {
    if (raw === undefined || raw.t === 'null') return [];
    if (raw.t !== 'arr') throw typeErr(goKind(raw), '[]json.RawMessage');
    return raw.items.map((item) => decodeScalar(item, f.kind, true));
  }
  if (raw === undefined) return f.kind.k === 'msg' ? undefined : defaultOf(f.kind);
  const v = decodeScalar(raw, f.kind, inOneof);
  return v;
}

function defaultOf(kind: FieldKind): unknown {
  switch (kind.k) {
    case 'bytes': return EMPTY;
    case 'int64': return 0n;
    case 'bool': return false;
    case 'enum': return 0;
    case 'msg': return undefined;
  }
}

const EMPTY = Buffer.alloc(0);

function decodeScalar(raw: JNode, kind: FieldKind, elementOrOneof: boolean): unknown {
  switch (kind.k) {
    case 'msg':
      // a null list element / oneof member is still present: an empty message
      if (raw.t === 'null') return elementOrOneof ? decodeMessage(undefined, kind.desc()) : undefined;
      return decodeMessage(raw, kind.desc());
    case 'bytes':
      return decodeBytes(raw);
    case 'bool':
      if (raw.t === 'null') return false;
      if (raw.t !== 'bool') throw typeErr(goKind(raw), 'bool');
      return raw.v;
    case 'int64':
      return decodeInt(raw, 'int64', 64);
    case 'enum': {
      if (raw.t === 'str') {
        const name = raw.src.subarray(raw.start, raw.end);
        const n = kind.values[name.toString('latin1')];
        if (n === undefined) throw new GoJsonError(`unknown value ${goQuote(name)} for enum ${kind.goType}`);
        return n;
      }
      return Number(decodeInt(raw, kind.goType, 32));
    }
  }
}

function decodeBytes(raw: JNode): Buffer {
  if (raw.t === 'null') return EMPTY;
  if (raw.t === 'str') return goBase64Decode(stringBytes(raw));
  if (raw.t === 'arr') {
    // encoding/json decodes a JSON array into []byte element by element.
    const out = Buffer.alloc(raw.items.length);
    raw.items.forEach((item, i) => {
      // encoding/json (not jsonpb) decodes these elements: a string is a type error here
      if (item.t === 'str') throw typeErr('string', 'uint8');
      out[i] = Number(decodeInt(item, 'uint8', 8, true));
    });
    return out;
  }
  throw typeErr(goKind(raw), '[]uint8');
}

const INT_RE = /^-?[0-9]+$/;
const UINT_RE = /^[0-9]+$/;

/**
 * jsonpb for integers: a quoted value has its quotes stripped and the inside parsed by
 * json.Unmarshal (so `"abc"` fails with a JSON syntax error); then strconv.ParseInt rules.
 */
function decodeInt(raw: JNode, goType: string, bits: number, unsigned = false): bigint {
  let node = raw;
  if (raw.t === 'str') node = unmarshalValue(raw.src.subarray(raw.start, raw.end));
  if (node.t === 'null') return 0n;
  if (node.t !== 'num') throw typeErr(goKind(node), goType);
  const text = node.text;
  if (!(unsigned ? UINT_RE : INT_RE).test(text)) throw typeErr(`number ${text}`, goType);
  const v = BigInt(text);
  const lim = 1n << BigInt(unsigned ? bits : bits - 1);
  const min = unsigned ? 0n : -lim;
  const max = lim - 1n;
  if (v < min || v > max) throw typeErr(`number ${text}`, goType);
  return v;
}

export function isDecodeError(err: unknown): err is GoJsonError | Base64Error {
  return err instanceof GoJsonError || err instanceof Base64Error;
}

// ---- protobuf wire size ----

export function varintSize(v: bigint | number): number {
  let x = BigInt(v);
  if (x < 0n) return 10; // negative int64/int32 are sign-extended to 10 bytes
  let n = 1;
  while (x >= 0x80n) {
    x >>= 7n;
    n++;
  }
  return n;
}

const tagSize = (no: number) => varintSize(no << 3);

/** Size in bytes of `msg` encoded as protobuf (proto3: defaults are not written, oneof members are). */
export function protoSize(msg: Decoded, desc: MsgDesc): number {
  let size = 0;
  for (const f of desc.fields) {
    const v = msg[f.name];
    if (v === undefined) continue;
    const kind = f.kind;
    if (f.repeated) {
      const items = v as unknown[];
      if (items.length === 0) continue;
      if (kind.k === 'enum' || kind.k === 'int64' || kind.k === 'bool') {
        // proto3 packs repeated scalars
        const body = items.reduce<number>((n, x) => n + scalarSize(kind, x), 0);
        size += tagSize(f.no) + varintSize(body) + body;
      } else {
        for (const x of items) {
          const n = kind.k === 'msg' ? protoSize(x as Decoded, kind.desc()) : (x as Buffer).length;
          size += tagSize(f.no) + varintSize(n) + n;
        }
      }
      continue;
    }
    if (kind.k === 'msg') {
      const n = protoSize(v as Decoded, kind.desc());
      size += tagSize(f.no) + varintSize(n) + n;
      continue;
    }
    if (!f.oneof && isDefault(kind, v)) continue;
    if (kind.k === 'bytes') size += tagSize(f.no) + varintSize((v as Buffer).length) + (v as Buffer).length;
    else size += tagSize(f.no) + scalarSize(kind, v);
  }
  return size;
}

function isDefault(kind: FieldKind, v: unknown): boolean {
  switch (kind.k) {
    case 'bytes': return (v as Buffer).length === 0;
    case 'int64': return v === 0n;
    case 'bool': return v === false;
    case 'enum': return v === 0;
    case 'msg': return v === undefined;
  }
}

function scalarSize(kind: FieldKind, v: unknown): number {
  if (kind.k === 'bool') return 1;
  return varintSize(v as bigint | number);
}
