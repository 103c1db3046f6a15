// The slice of (OpenAPI) JSON Schema the generator reads and writes.

export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  $ref?: string;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  [extension: `x-${string}`]: unknown;
  [key: string]: unknown;
}

export type Definitions = Record<string, JsonSchema>;

/** The definition name a `$ref` (`#/definitions/<name>` or `#/components/schemas/<name>`) points to. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Calls `visit` on `node` and every schema nested in it (properties, items, allOf/oneOf/anyOf, maps). */
export function walkSchema(node: JsonSchema, visit: (node: JsonSchema, property?: string) => void, property?: string): void {
  visit(node, property);
  for (const [name, child] of Object.entries(node.properties ?? {})) walkSchema(child, visit, name);
  if (node.items) walkSchema(node.items, visit, property);
  if (typeof node.additionalProperties === 'object') walkSchema(node.additionalProperties, visit);
  for (const list of [node.allOf, node.oneOf, node.anyOf]) for (const child of list ?? []) walkSchema(child, visit, property);
}
