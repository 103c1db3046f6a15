/**
 * kubectl 1.32 sends protobuf bodies (`application/vnd.kubernetes.protobuf`) for generator commands such as
 * `kubectl create namespace|configmap|deployment`. The envelope is the magic `k8s\0` followed by a
 * runtime.Unknown{typeMeta, raw}; `raw` is the protobuf encoding of the typed object.
 * Decoding `raw` needs the field tables of each type (see protobuf-schema.ts); kinds we have no table
 * for are answered with 415 so the user can fall back to `kubectl create -f`.
 */
import { ApiError, statusError } from '@tinykube/api';
import { decodeMessage, PROTO_TYPES } from './protobuf-schema.js';
import { ProtoReader } from './protobuf-wire.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function unsupported(why: string): ApiError {
  return statusError(415, 'UnsupportedMediaType',
    `protobuf request bodies are only partly supported by tinykube (${why}); send JSON or YAML instead (e.g. kubectl create -f file.yaml)`);
}

interface Unknown { apiVersion: string; kind: string; raw: Buffer; contentEncoding: string; contentType: string }

function readUnknown(buf: Buffer): Unknown {
  const r = new ProtoReader(buf);
  const out: Unknown = { apiVersion: '', kind: '', raw: Buffer.alloc(0), contentEncoding: '', contentType: '' };
  while (!r.done()) {
    const [field, wt] = r.tag();
    if (field === 1 && wt === 2) {
      const tm = new ProtoReader(r.bytes());
      while (!tm.done()) {
        const [f, w] = tm.tag();
        if (f === 1 && w === 2) out.apiVersion = tm.bytes().toString('utf8');
        else if (f === 2 && w === 2) out.kind = tm.bytes().toString('utf8');
        else tm.skip(w);
      }
    } else if (field === 2 && wt === 2) out.raw = r.bytes();
    else if (field === 3 && wt === 2) out.contentEncoding = r.bytes().toString('utf8');
    else if (field === 4 && wt === 2) out.contentType = r.bytes().toString('utf8');
    else r.skip(wt);
  }
  return out;
}

/** Decodes kubectl's protobuf envelope into the JSON-shaped object, or throws 400/415. */
export function decodeProtobufEnvelope(body: Buffer): unknown {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw statusError(400, 'BadRequest', 'the protobuf body does not start with the k8s\\0 magic prefix');
  }
  let unk: Unknown;
  try {
    unk = readUnknown(body.subarray(4));
  } catch (err) {
    throw statusError(400, 'BadRequest', `malformed protobuf envelope: ${(err as Error).message}`);
  }
  if (unk.contentEncoding) throw unsupported(`content encoding ${unk.contentEncoding}`);
  const group = unk.apiVersion.includes('/') ? unk.apiVersion.split('/')[0] : '';
  const typeName = `${group}/${unk.kind}`;
  const schema = PROTO_TYPES[typeName];
  if (!schema) throw unsupported(`no protobuf table for ${unk.apiVersion} ${unk.kind}`);
  let obj: Record<string, unknown>;
  try {
    obj = decodeMessage(unk.raw, schema);
  } catch (err) {
    throw statusError(400, 'BadRequest', `malformed protobuf ${unk.kind}: ${(err as Error).message}`);
  }
  return { apiVersion: unk.apiVersion, kind: unk.kind, ...obj };
}
