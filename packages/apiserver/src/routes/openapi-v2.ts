/**
 * `/openapi/v2`: the Swagger 2.0 document (every definition, the GET/PATCH operations of every kind), JSON only.
 * kubectl asks for the protobuf form (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, and
 * nothing else); it is answered 406, on which kubectl falls back (client-side apply then computes patches from
 * its compiled-in types, explain uses /openapi/v3). Clients accepting JSON get JSON.
 */
import { createHash } from 'node:crypto';
import { openApiDefinitions, statusError, type ApiError } from '@tinykube/api';
import { PATCH_QUERY_PARAMS, gvkOf, resourceOperations } from './openapi-paths.js';

const PATCH_TYPES = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
];

function buildDocument(): unknown {
  const { definitions, kinds } = openApiDefinitions();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { info, name, listName } of kinds) {
    for (const op of resourceOperations(info)) {
      const isPatch = op.method === 'patch';
      (paths[op.path] ??= {})[op.method] = {
        operationId: op.id,
        consumes: isPatch ? PATCH_TYPES : ['*/*'],
        produces: ['application/json', 'application/yaml'],
        'x-kubernetes-action': op.action,
        'x-kubernetes-group-version-kind': gvkOf(info),
        parameters: [
          ...(isPatch ? [{ name: 'body', in: 'body', required: true, schema: { type: 'object' } }] : []),
          ...(isPatch ? PATCH_QUERY_PARAMS : ['pretty'])
            .map((p) => ({ name: p, in: 'query', type: p === 'force' ? 'boolean' : 'string', uniqueItems: true })),
        ],
        responses: { '200': { description: 'OK', schema: { $ref: `#/definitions/${op.list ? listName : name}` } } },
      };
    }
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0-tinykube' }, paths, definitions };
}

let cached: { body: string; etag: string } | undefined;

/** The document as JSON text and its ETag, generated once. */
export function openApiV2(): { body: string; etag: string } {
  if (!cached) {
    const body = JSON.stringify(buildDocument());
    cached = { body, etag: `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"` };
  }
  return cached;
}

/** undefined when `accept` admits JSON; otherwise the 406 to answer. */
export function notAcceptableV2(accept: string | undefined): ApiError | undefined {
  if (!accept) return undefined;
  const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  if (types.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) return undefined;
  return statusError(406, 'NotAcceptable', 'only the following media types are accepted: application/json');
}
