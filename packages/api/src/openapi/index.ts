// OpenAPI definitions generated from the zod schemas (served by the apiserver at /openapi/v2 and /openapi/v3).
export { openApiDefinitions, type GeneratedDefinitions } from './definitions.js';
export type { Definitions as OpenApiDefinitions, JsonSchema as OpenApiSchema } from './json-schema.js';
export { v3Schemas } from './versions.js';
export { unknownFields } from './unknown-fields.js';
