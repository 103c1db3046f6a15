import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { TimeSchema } from './primitives.js';

// apiextensions.k8s.io/v1 CustomResourceDefinition. The OpenAPI v3 schema of a version is kept as
// plain JSON (JSONSchemaProps is recursive and open-ended); crd/ walks it.

export const APIEXTENSIONS_GROUP = 'apiextensions.k8s.io';

/** A JSONSchemaProps node as stored: a JSON object, checked by crd/structural.ts rather than by zod. */
export const JSONSchemaPropsSchema = z.record(z.string(), z.unknown());
export type JSONSchemaProps = {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [key: string]: unknown;
};

export const CustomResourceColumnDefinitionSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  format: z.string().optional(),
  description: z.string().optional(),
  priority: z.number().int().optional(),
  jsonPath: z.string(),
});
export type CustomResourceColumnDefinition = z.infer<typeof CustomResourceColumnDefinitionSchema>;

export const CustomResourceSubresourceScaleSchema = z.looseObject({
  specReplicasPath: z.string(),
  statusReplicasPath: z.string(),
  labelSelectorPath: z.string().optional(),
});

export const CustomResourceDefinitionVersionSchema = z.looseObject({
  name: z.string(),
  served: z.boolean(),
  storage: z.boolean(),
  deprecated: z.boolean().optional(),
  deprecationWarning: z.string().optional(),
  schema: z.looseObject({ openAPIV3Schema: JSONSchemaPropsSchema.optional() }).optional(),
  subresources: z.looseObject({
    status: z.record(z.string(), z.unknown()).optional(),
    scale: CustomResourceSubresourceScaleSchema.optional(),
  }).optional(),
  additionalPrinterColumns: z.array(CustomResourceColumnDefinitionSchema).optional(),
});
export type CustomResourceDefinitionVersion = z.infer<typeof CustomResourceDefinitionVersionSchema>;

export const CustomResourceDefinitionNamesSchema = z.looseObject({
  plural: z.string(),
  singular: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  kind: z.string(),
  listKind: z.string().optional(),
  categories: z.array(z.string()).optional(),
});
export type CustomResourceDefinitionNames = z.infer<typeof CustomResourceDefinitionNamesSchema>;

export const CustomResourceDefinitionConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type CustomResourceDefinitionCondition = z.infer<typeof CustomResourceDefinitionConditionSchema>;

export const CustomResourceDefinitionSchema = kindSchema({
  spec: z.looseObject({
    group: z.string(),
    names: CustomResourceDefinitionNamesSchema,
    scope: z.string(),
    versions: z.array(CustomResourceDefinitionVersionSchema),
    conversion: z.looseObject({ strategy: z.string() }).optional(),
    preserveUnknownFields: z.boolean().optional(),
  }),
  status: z.looseObject({
    conditions: z.array(CustomResourceDefinitionConditionSchema).optional(),
    acceptedNames: CustomResourceDefinitionNamesSchema.optional(),
    storedVersions: z.array(z.string()).optional(),
  }).optional(),
}).describe('A CustomResourceDefinition adds a new kind to the API: its group, names, scope, versions and their schemas.');
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionSchema>;
export const CustomResourceDefinitionListSchema = listSchema(CustomResourceDefinitionSchema);
export type CustomResourceDefinitionList = z.infer<typeof CustomResourceDefinitionListSchema>;
