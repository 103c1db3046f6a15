import { describe, expect, it } from 'vitest';
import { decodeBody, decodeStream, Messages } from './codec.js';
import { EtcdServerError } from './errors.js';
import { goBase64Decode } from './gobase64.js';
import { goJsonString } from './gojson.js';
import { protoSize } from './pbjson.js';

const errorOf = (body: string, type: Parameters<typeof decodeBody>[1] = Messages.put): EtcdServerError => {
  try {
    decodeBody(Buffer.from(body), type);
  } catch (err) {
    if (err instanceof EtcdServerError) return err;
    throw err;
  }
  throw new Error(`expected ${body} to fail`);
};

describe('gateway-compatible request decoding', () => {
  it('decodes proto and camelCase names, quoted int64 and enum names', () => {
    const r = decodeBody(Buffer.from('{"key":"YQ==","rangeEnd":"AA==","limit":"5","sort_order":"DESCEND","keys_only":true}'), Messages.range);
    expect(r.key.toString()).toBe('a');
    expect([...r.range_end]).toEqual([0]);
    expect(r.limit).toBe(5n);
    expect(r.sort_order).toBe(2);
    expect(r.keys_only).toBe(true);
  });

  it('treats an empty body, null and unknown fields like etcd (empty message)', () => {
    expect(decodeBody(Buffer.from(''), Messages.put).key.length).toBe(0);
    expect(decodeBody(Buffer.from(' null'), Messages.put).key.length).toBe(0);
    expect(decodeBody(Buffer.from('{"key":"YQ==","bogus":[1]} trailing'), Messages.put).key.toString()).toBe('a');
  });

  // Every message below was observed from etcd 3.4.23's gateway for the same body.
  it.each([
    ['{bad', "invalid character 'b' looking for beginning of object key string"],
    ['{"key":"YQ==",}', "invalid character '}' looking for beginning of object key string"],
    ['{"key":"YQ==" "value":1}', `invalid character '"' after object key:value pair`],
    ['{"key":"YQ==', 'unexpected EOF'],
    ['tru', 'unexpected EOF'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['"str"', 'json: cannot unmarshal string into Go value of type map[string]json.RawMessage'],
    ['[]', 'json: cannot unmarshal array into Go value of type map[string]json.RawMessage'],
    ['{"key":"YQ==","value":"\\u00"}', `invalid character '"' in \\u hexadecimal character escape`],
    ['{"key":"YQ==","value":tx}', "invalid character 'x' in literal true (expecting 'r')"],
    ['{"key":"!!!"}', 'illegal base64 data at input byte 0'],
    ['{"key":"YQ"}', 'illegal base64 data at input byte 0'],
    ['{"key":"YQ="}', 'illegal base64 data at input byte 3'],
    ['{"key":"YQ-_"}', 'illegal base64 data at input byte 2'],
    ['{"key":123}', 'json: cannot unmarshal number into Go value of type []uint8'],
    ['{"key":"YQ==","lease":"abc"}', "invalid character 'a' looking for beginning of value"],
    ['{"key":"YQ==","lease":""}', 'unexpected end of JSON input'],
    ['{"key":"YQ==","lease":"1 2"}', "invalid character '2' after top-level value"],
    ['{"key":"YQ==","lease":1.5}', 'json: cannot unmarshal number 1.5 into Go value of type int64'],
    ['{"key":"YQ==","lease":99999999999999999999}', 'json: cannot unmarshal number 99999999999999999999 into Go value of type int64'],
    ['{"key":"YQ==","lease":true}', 'json: cannot unmarshal bool into Go value of type int64'],
    ['{"key":"YQ==","prev_kv":"x"}', 'json: cannot unmarshal string into Go value of type bool'],
    ['{"key":"YQ==","value":["a"]}', 'json: cannot unmarshal string into Go value of type uint8'],
    ['<', "invalid character '<' looking for beginning of value"],
  ])('rejects %s with Go\'s message', (body, message) => {
    const err = errorOf(body);
    expect(err.message).toBe(message);
    expect(err.grpcCode).toBe(3);
    expect(err.httpStatus).toBe(400);
  });

  it('names the enum type in an unknown enum value error', () => {
    const err = errorOf('{"key":"YQ==","sort_order":"BAD"}', Messages.range);
    expect(err.message).toBe('unknown value "BAD" for enum etcdserverpb.RangeRequest_SortOrder');
  });

  it('decodes txn oneofs and keeps only the matching compare target', () => {
    const t = decodeBody(
      Buffer.from('{"compare":[{"key":"YQ==","target":"MOD","mod_revision":"3"}],"success":[{"request_put":{"key":"YQ==","value":"eg=="}}]}'),
      Messages.txn,
    );
    expect(t.compare[0].target).toBe(2);
    expect(t.compare[0].mod_revision).toBe(3n);
    expect(t.success[0].request_put?.value.toString()).toBe('z');
    expect(t.failure).toEqual([]);
  });

  it('reports stream decode errors with code Unknown / HTTP 500, as etcd does for watch and keepalive', () => {
    try {
      decodeStream(Buffer.from('{bad'), Messages.watch);
      expect.unreachable();
    } catch (err) {
      expect((err as EtcdServerError).grpcCode).toBe(2);
      expect((err as EtcdServerError).httpStatus).toBe(500);
    }
    expect(decodeStream(Buffer.from('{"create_request":{"key":"YQ=="}}{"progress_request":{}}'), Messages.watch)).toHaveLength(2);
  });

  it('computes the protobuf size etcd limits requests by', () => {
    const r = decodeBody(Buffer.from(JSON.stringify({ key: 'Ymln', value: Buffer.alloc(2_100_000).toString('base64') })), Messages.put);
    expect(protoSize(r, Messages.put.desc)).toBe(2_100_010); // etcd: "received message larger than max (2100010 vs. 2097152)"
  });
});

describe('Go encoders', () => {
  it('decodes base64 strictly (padding required, newlines ignored)', () => {
    expect(goBase64Decode(Buffer.from('YWJj')).toString()).toBe('abc');
    expect(goBase64Decode(Buffer.from('YQ==\n')).toString()).toBe('a');
    expect(() => goBase64Decode(Buffer.from('YQ==YQ=='))).toThrow('illegal base64 data at input byte 4');
  });

  it('escapes strings the way Go json does', () => {
    expect(goJsonString(`a<b>&"\\\n\u0001`)).toBe('"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\u0001"');
  });
});
