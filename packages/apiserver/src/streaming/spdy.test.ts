import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeHeaderBlock, encodeHeaderBlock, SpdyReader, SpdyWriter, type Headers } from './spdy.js';
import { adler32, SPDY3_DICTIONARY } from './spdy-dictionary.js';

/** Feeds `input` through a long-lived zlib stream and returns what one sync flush produced (like Go's Flush). */
function flushThrough(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      const out: Buffer[] = [];
      let c: Buffer | null;
      while ((c = z.read() as Buffer | null) !== null) out.push(c);
      resolve(Buffer.concat(out));
    });
    z.once('error', reject);
  });
}

/** A SYN_STREAM as spdystream writes it, its header block compressed by a persistent deflater. */
async function goSynStream(deflate: Deflate, streamId: number, headers: Headers, flags = 0): Promise<Buffer> {
  const block = await flushThrough(deflate, encodeHeaderBlock(headers));
  const head = Buffer.alloc(18);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE((flags << 24) | (10 + block.length), 4);
  head.writeUInt32BE(streamId, 8);
  return Buffer.concat([head, block]);
}

describe('SPDY/3 framing', () => {
  it('builds the SPDY/3 dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from([0, 0, 0, 7, ...Buffer.from('options')]));
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
  });

  it('reads SYN_STREAMs whose header blocks share one compression context', async () => {
    const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const reader = new SpdyReader();
    const a = await goSynStream(deflate, 1, { streamtype: ['error'], port: ['8080'], requestid: ['0'] });
    const b = await goSynStream(deflate, 3, { streamtype: ['data'], port: ['8080'], requestid: ['0'] });
    const c = await goSynStream(deflate, 5, { streamtype: ['error'], port: ['8080'], requestid: ['1'] }, 1);
    // Split across reads at odd places, as a WebSocket may deliver them.
    const all = Buffer.concat([a, b, c]);
    const frames = [...reader.push(all.subarray(0, 5)), ...reader.push(all.subarray(5, a.length + 3)), ...reader.push(all.subarray(a.length + 3))];
    expect(frames).toEqual([
      { type: 'syn_stream', streamId: 1, associatedTo: 0, fin: false, unidirectional: false, headers: { streamtype: ['error'], port: ['8080'], requestid: ['0'] } },
      { type: 'syn_stream', streamId: 3, associatedTo: 0, fin: false, unidirectional: false, headers: { streamtype: ['data'], port: ['8080'], requestid: ['0'] } },
      { type: 'syn_stream', streamId: 5, associatedTo: 0, fin: true, unidirectional: false, headers: { streamtype: ['error'], port: ['8080'], requestid: ['1'] } },
    ]);
    deflate.close();
  });

  it('writes header blocks any zlib inflater primed with the dictionary can read, block after block', async () => {
    const w = new SpdyWriter();
    const inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
    const r1 = w.synReply(1);
    const r2 = w.synReply(3, { status: ['ok'] });
    expect(r1.readUInt16BE(0)).toBe(0x8003);
    expect(r1.readUInt16BE(2)).toBe(2);
    expect(r1.readUInt32BE(4) & 0xffffff).toBe(r1.length - 8);
    expect(decodeHeaderBlock(await flushThrough(inflate, r1.subarray(12)))).toEqual({});
    expect(decodeHeaderBlock(await flushThrough(inflate, r2.subarray(12)))).toEqual({ status: ['ok'] });
    inflate.close();
    // and our own reader reads our own writer
    const rd = new SpdyReader();
    const w2 = new SpdyWriter();
    expect(rd.push(Buffer.concat([w2.synStream(2, { a: ['1'] }), w2.synStream(4, { b: ['2', '3'] }, true)]))).toMatchObject([
      { type: 'syn_stream', streamId: 2, headers: { a: ['1'] } }, { type: 'syn_stream', streamId: 4, fin: true, headers: { b: ['2', '3'] } },
    ]);
  });

  it('reads and writes DATA, PING, RST_STREAM and GOAWAY', () => {
    const w = new SpdyWriter();
    const r = new SpdyReader();
    expect(r.push(Buffer.concat([w.data(3, Buffer.from('hi')), w.data(3, Buffer.alloc(0), true), w.ping(7), w.rstStream(3, 5), w.goAway(9)]))).toEqual([
      { type: 'data', streamId: 3, fin: false, data: Buffer.from('hi') },
      { type: 'data', streamId: 3, fin: true, data: Buffer.alloc(0) },
      { type: 'ping', id: 7 },
      { type: 'rst_stream', streamId: 3, status: 5 },
      { type: 'goaway', lastGoodStreamId: 9, status: 0 },
    ]);
  });
});
