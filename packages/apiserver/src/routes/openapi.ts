/**
 * OpenAPI v3: `/openapi/v3` lists one document per group/version, each with the GET/PATCH operations of its
 * kinds (`x-kubernetes-group-version-kind`, the `fieldValidation` query parameter) and the full schemas
 * generated from the zod schemas, so `kubectl explain` works and kubectl leaves validation to the server (it
 * sends fieldValidation=Strict).
 * The PATCH request bodies deliberately omit strategic-merge-patch+json: kubectl would then compute apply
 * patches from these schemas instead of from its compiled-in Kubernetes types, which know every field.
 */
import { createHash } from 'node:crypto';
import { openApiDefinitions, v3Schemas } from '@tinykube/api';
import { servedGroupVersions } from './discovery.js';
import { PATCH_QUERY_PARAMS, docPath, gvkOf, resourceOperations } from './openapi-paths.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function buildDocument(groupVersion: string): unknown {
  const { definitions, kinds } = openApiDefinitions();
  const served = kinds.filter((k) => k.info.apiVersion === groupVersion);
  if (served.length === 0) return undefined;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { info, name, listName } of served) {
    for (const op of resourceOperations(info)) {
      const schema = ref(op.list ? listName : name);
      const isPatch = op.method === 'patch';
      (paths[op.path] ??= {})[op.method] = {
        operationId: op.id,
        'x-kubernetes-action': op.action,
        'x-kubernetes-group-version-kind': gvkOf(info),
        parameters: (isPatch ? PATCH_QUERY_PARAMS : ['pretty'])
          .map((p) => ({ name: p, in: 'query', schema: { type: p === 'force' ? 'boolean' : 'string', uniqueItems: true } })),
        ...(isPatch ? {
          requestBody: {
            content: {
              'application/json-patch+json': { schema: { type: 'object' } },
              'application/merge-patch+json': { schema: { type: 'object' } },
            },
            required: true,
          },
        } : {}),
        responses: { '200': { description: 'OK', content: { 'application/json': { schema } } } },
      };
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-tinykube' },
    paths,
    components: { schemas: v3Schemas(definitions, served.flatMap((k) => [k.name, k.listName])) },
  };
}

// Generated once: the definitions never change while the server runs.
const documents = new Map<string, { body: unknown; hash: string } | undefined>();

function cachedDocument(groupVersion: string): { body: unknown; hash: string } | undefined {
  if (!documents.has(groupVersion)) {
    const body = buildDocument(groupVersion);
    const hash = body === undefined ? '' : createHash('sha512').update(JSON.stringify(body)).digest('hex').toUpperCase();
    documents.set(groupVersion, body === undefined ? undefined : { body, hash });
  }
  return documents.get(groupVersion);
}

export function openApiDocument(groupVersion: string): unknown {
  return cachedDocument(groupVersion)?.body;
}

/** The ETag of a document: its hash, as the index's `?hash=` names it. */
export function openApiDocumentHash(groupVersion: string): string | undefined {
  return cachedDocument(groupVersion)?.hash;
}

let cachedIndex: { paths: Record<string, { serverRelativeURL: string }> } | undefined;

export function openApiIndex(): unknown {
  if (cachedIndex) return cachedIndex;
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of servedGroupVersions()) {
    const p = docPath(gv.groupVersion);
    const hash = openApiDocumentHash(gv.groupVersion);
    if (hash) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  cachedIndex = { paths };
  return cachedIndex;
}

/** `/openapi/v3/api/v1` → 'v1'; `/openapi/v3/apis/apps/v1` → 'apps/v1'. */
export function groupVersionOfDocPath(pathname: string): string | undefined {
  const rest = pathname.replace(/^\/openapi\/v3\//, '');
  if (rest.startsWith('api/')) return rest.slice(4);
  if (rest.startsWith('apis/')) return rest.slice(5);
  return undefined;
}

