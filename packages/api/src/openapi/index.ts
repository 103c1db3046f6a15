// OpenAPI definitions generated from the zod schemas (served by the apiserver at /openapi/v2 and /openapi/v3).
export { openApiDefinitions, type GeneratedDefinitions, type GroupVersionKind } from './definitions.js';
export { refName, walkSchema, type Definitions, type JsonSchema } from './json-schema.js';
export { referencedClosure, v3Schemas } from './versions.js';
export { kindDefinitionName } from './names.js';
export { unknownFields } from './unknown-fields.js';
