/**
 * Request bodies: size limit, media types, and decoding (JSON, YAML, and kubectl's protobuf envelope).
 * Every failure is an ApiError (400/413/415), never a 500.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '@tinykube/api';
import { decodeProtobufEnvelope, PROTOBUF_MEDIA_TYPE } from './protobuf.js';
import { PATCH_TYPES, patchTypeFromContentType, type PatchType } from '@tinykube/api';

/** Kubernetes' limit for a request body (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

export const PATCH_MEDIA_TYPES: readonly PatchType[] = PATCH_TYPES;

/** Reads the whole body, answering 413 as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)); });
    req.on('error', (err) => { if (!failed) { failed = true; reject(err); } });
  });
}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes a create/update body into a plain object. */
export function decodeObjectBody(contentType: string | undefined, body: Buffer): unknown {
  const mt = mediaType(contentType);
  if (mt === PROTOBUF_MEDIA_TYPE) return decodeProtobufEnvelope(body);
  if (mt === '' || mt === 'application/json' || mt === '*/*') return parseJson(body);
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') return parseYamlDoc(body);
  throw unsupportedMediaType(mt, OBJECT_MEDIA_TYPES);
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('the request body is empty');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function parseYamlDoc(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('the request body is empty');
  try {
    return parseYaml(body.toString('utf8'), { maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
}

/** Server-side apply's media type (its CBOR form is not supported). */
export const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';

/** Decodes a server-side apply body (YAML, or JSON which is YAML too) into an object. */
export function decodeApplyBody(body: Buffer): Record<string, unknown> {
  const doc = parseYamlDoc(body);
  if (!isPlainObject(doc)) throw badRequest('an apply patch must be a YAML or JSON object');
  return doc;
}

/** Decodes a PATCH body of the other patch types (apply bodies go to decodeApplyBody). */
export function decodePatchBody(contentType: string | undefined, body: Buffer): { type: PatchType; patch: unknown } {
  const mt = mediaType(contentType);
  if (mt === 'application/apply-patch+cbor') throw unsupportedMediaType(mt, [...PATCH_MEDIA_TYPES, APPLY_PATCH_TYPE]);
  const type = patchTypeFromContentType(mt);
  if (!type) throw unsupportedMediaType(mt, [...PATCH_MEDIA_TYPES, APPLY_PATCH_TYPE]);
  const patch = parseJson(body);
  if (type === 'application/json-patch+json' && !Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  if (type !== 'application/json-patch+json' && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw badRequest('a merge or strategic merge patch must be a JSON object');
  }
  return { type, patch };
}

/** True when a value is a plain JSON object (not null, not an array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
