/**
 * A minimal SPDY/3.1 framer: what the server side of kubectl's port-forward tunnel needs (SYN_STREAM,
 * SYN_REPLY, DATA, RST_STREAM, PING, GOAWAY; SETTINGS, HEADERS and WINDOW_UPDATE are parsed and
 * ignored — kubectl's spdystream does no flow control).
 *
 * Header blocks travel through one zlib stream per direction, primed with SPDY's dictionary, each
 * block ending with a sync flush:
 * - reading: every block is raw deflate data that may refer back up to 32 KiB into what came before,
 *   so it is inflated on its own with "what came before" (dictionary + all earlier blocks' output,
 *   last 32 KiB) as the preset dictionary — synchronous, and no zlib state to keep in step;
 * - writing: blocks are sent as *stored* (uncompressed) deflate blocks followed by the empty stored
 *   block a sync flush emits; the stream stays byte-aligned and any inflater reads each block in
 *   full without waiting for more. Headers here are tiny.
 */
import { constants, inflateRawSync } from 'node:zlib';
import { adler32, SPDY3_DICTIONARY } from './spdy-dictionary.js';

export type Headers = Record<string, string[]>;

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedTo: number; fin: boolean; unidirectional: boolean; headers: Headers }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headers: Headers }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings' }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; headers: Headers }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;

const TYPES = { syn_stream: 1, syn_reply: 2, rst_stream: 3, settings: 4, ping: 6, goaway: 7, headers: 8, window_update: 9 } as const;
const WINDOW = 32 * 1024;

export class SpdyProtocolError extends Error {
  override readonly name = 'SpdyProtocolError';
  readonly code = 'SPDY_PROTOCOL_ERROR';
}

/** Decodes a byte stream into frames; feed it chunks in order. */
export class SpdyReader {
  private buf: Buffer = Buffer.alloc(0);
  private history: Buffer = SPDY3_DICTIONARY;
  private started = false;

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const head = this.buf.subarray(0, 8);
      const body = this.buf.subarray(8, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      out.push(this.parse(head, Buffer.from(body)));
    }
    return out;
  }

  private parse(head: Buffer, body: Buffer): SpdyFrame {
    const first = head.readUInt32BE(0);
    const flags = head[4]!;
    if ((first & 0x80000000) === 0) return { type: 'data', streamId: first & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: body };
    const version = (first >>> 16) & 0x7fff;
    if (version !== 3) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
    const type = first & 0xffff;
    const u32 = (o: number): number => body.readUInt32BE(o);
    switch (type) {
      case TYPES.syn_stream:
        return {
          type: 'syn_stream', streamId: u32(0) & 0x7fffffff, associatedTo: u32(4) & 0x7fffffff,
          fin: (flags & FLAG_FIN) !== 0, unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0, headers: this.headerBlock(body.subarray(10)),
        };
      case TYPES.syn_reply:
        return { type: 'syn_reply', streamId: u32(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, headers: this.headerBlock(body.subarray(4)) };
      case TYPES.headers:
        return { type: 'headers', streamId: u32(0) & 0x7fffffff, headers: this.headerBlock(body.subarray(4)) };
      case TYPES.rst_stream:
        return { type: 'rst_stream', streamId: u32(0) & 0x7fffffff, status: u32(4) };
      case TYPES.settings:
        return { type: 'settings' };
      case TYPES.ping:
        return { type: 'ping', id: u32(0) };
      case TYPES.goaway:
        return { type: 'goaway', lastGoodStreamId: u32(0) & 0x7fffffff, status: body.length >= 8 ? u32(4) : 0 };
      case TYPES.window_update:
        return { type: 'window_update', streamId: u32(0) & 0x7fffffff, delta: u32(4) & 0x7fffffff };
      default:
        return { type: 'unknown', frameType: type };
    }
  }

  private headerBlock(compressed: Buffer): Headers {
    let data = compressed;
    if (!this.started) {
      // The zlib header (CMF, FLG, and with FDICT the dictionary's Adler-32) opens the stream once.
      if (data.length < 2) throw new SpdyProtocolError('truncated header block');
      data = data.subarray((data[1]! & 0x20) !== 0 ? 6 : 2);
      this.started = true;
    }
    let plain: Buffer;
    try {
      plain = inflateRawSync(data, { dictionary: this.history.subarray(-WINDOW), finishFlush: constants.Z_SYNC_FLUSH });
    } catch (err) {
      throw new SpdyProtocolError(`header block: ${(err as Error).message}`);
    }
    this.history = Buffer.concat([this.history.subarray(-WINDOW), plain]);
    return decodeHeaderBlock(plain);
  }
}

export function decodeHeaderBlock(b: Buffer): Headers {
  const out: Headers = {};
  let o = 0;
  const need = (n: number): void => {
    if (o + n > b.length) throw new SpdyProtocolError('truncated header block');
  };
  need(4);
  const count = b.readUInt32BE(o);
  o += 4;
  for (let i = 0; i < count; i++) {
    need(4);
    const nl = b.readUInt32BE(o);
    o += 4;
    need(nl);
    const name = b.subarray(o, o + nl).toString('latin1').toLowerCase();
    o += nl;
    need(4);
    const vl = b.readUInt32BE(o);
    o += 4;
    need(vl);
    out[name] = b.subarray(o, o + vl).toString('utf8').split('\0');
    o += vl;
  }
  return out;
}

export function encodeHeaderBlock(h: Headers): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const x = Buffer.alloc(4);
    x.writeUInt32BE(n);
    return x;
  };
  const entries = Object.entries(h);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase(), 'latin1');
    const value = Buffer.from(v.join('\0'), 'utf8');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

/** Encodes frames; one per connection direction (the header stream's zlib header is sent once). */
export class SpdyWriter {
  private started = false;

  data(streamId: number, data: Buffer, fin = false): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & 0x7fffffff, 0);
    head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    return Buffer.concat([head, data]);
  }

  synReply(streamId: number, headers: Headers = {}, fin = false): Buffer {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(streamId & 0x7fffffff);
    return control(TYPES.syn_reply, fin ? FLAG_FIN : 0, Buffer.concat([id, this.headerBlock(headers)]));
  }

  synStream(streamId: number, headers: Headers, fin = false): Buffer {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
    return control(TYPES.syn_stream, fin ? FLAG_FIN : 0, Buffer.concat([fixed, this.headerBlock(headers)]));
  }

  rstStream(streamId: number, status: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(streamId & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    return control(TYPES.rst_stream, 0, b);
  }

  ping(id: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id >>> 0);
    return control(TYPES.ping, 0, b);
  }

  goAway(lastGoodStreamId: number, status = 0): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    return control(TYPES.goaway, 0, b);
  }

  private headerBlock(h: Headers): Buffer {
    const plain = encodeHeaderBlock(h);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32 KiB window), FLG with FDICT; FCHECK makes the pair a multiple of 31.
      const cmf = 0x78;
      let flg = 0x20 | (2 << 6);
      flg += (31 - ((cmf * 256 + flg) % 31)) % 31;
      const dictId = Buffer.alloc(4);
      dictId.writeUInt32BE(adler32(SPDY3_DICTIONARY));
      parts.push(Buffer.from([cmf, flg]), dictId);
    }
    for (let o = 0; o < plain.length || o === 0; o += 0xffff) {
      const chunk = plain.subarray(o, o + 0xffff);
      const hdr = Buffer.alloc(5);
      hdr[0] = 0; // BFINAL=0, BTYPE=00 (stored); byte-aligned since every block ends aligned
      hdr.writeUInt16LE(chunk.length, 1);
      hdr.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(hdr, chunk);
      if (plain.length === 0) break;
    }
    // An empty stored block, as a sync flush ends: Go's inflater hands out a block's data only when
    // it reaches the next block header, and it must find one here rather than read past the frame.
    parts.push(Buffer.from([0, 0, 0, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

function control(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | 3, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((flags << 24) | body.length, 4);
  return Buffer.concat([head, body]);
}
