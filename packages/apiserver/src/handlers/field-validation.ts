/**
 * The `fieldValidation` query parameter (kubectl sends Strict for --validate=strict, its default): Strict
 * refuses a body with unknown fields as Kubernetes does (400, "strict decoding error: unknown field ..."),
 * Warn (and no parameter) answers with one `Warning` header per field, Ignore checks nothing. Which fields are
 * known comes from the generated OpenAPI definitions (see unknownFields for the structs it checks).
 */
import { badRequest, unknownFields } from '@tinykube/api';
import type { RequestContext } from '../http.js';

const DIRECTIVES = ['Strict', 'Warn', 'Ignore'];

export function checkFields(ctx: RequestContext, apiVersion: string, kind: string, body: unknown): void {
  const directive = ctx.query.get('fieldValidation') ?? 'Warn';
  if (!DIRECTIVES.includes(directive)) {
    throw badRequest(`fieldValidation: Unsupported value: "${directive}": supported values: "Ignore", "Strict", "Warn"`);
  }
  if (directive === 'Ignore') return;
  const unknown = unknownFields(apiVersion, kind, body);
  if (unknown.length === 0) return;
  const messages = unknown.map((f) => `unknown field "${f}"`);
  if (directive === 'Strict') {
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${messages.join(', ')}`);
  }
  ctx.res.setHeader('Warning', messages.map((m) => `299 - ${JSON.stringify(m)}`));
}
