import { z } from 'zod';
import { StringMapSchema, TimeSchema } from './primitives.js';

// meta.k8s.io/v1: ObjectMeta, ListMeta, Status, WatchEvent, Table, DeleteOptions.

export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
}).describe('Points at an object that owns this one; when the owner is deleted, the garbage collector deletes the dependents.');
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

export const ManagedFieldsEntrySchema = z.looseObject({
  manager: z.string().optional(),
  operation: z.string().optional(),
  apiVersion: z.string().optional(),
  time: TimeSchema.optional(),
  fieldsType: z.string().optional(),
  fieldsV1: z.unknown().optional(),
  subresource: z.string().optional(),
});

export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional().describe('The name of the object, unique within its namespace (or the cluster for cluster-scoped kinds). It cannot be changed.'),
  generateName: z.string().optional().describe('A prefix the server completes with random characters to make a unique name, used when name is empty.'),
  namespace: z.string().optional().describe('The namespace the object lives in. Empty means "default" for namespaced kinds; cluster-scoped kinds have none.'),
  selfLink: z.string().optional(),
  uid: z.string().optional().describe('A unique id the server assigns at creation; it never repeats, even for a new object with the same name.'),
  resourceVersion: z.string().optional().describe('An opaque version the server changes on every write; updates that carry it fail with a conflict if the object changed meanwhile.'),
  generation: z.number().int().optional().describe('A counter the server increments when the desired state (spec) changes.'),
  creationTimestamp: TimeSchema.optional().describe('When the object was created (set by the server).'),
  deletionTimestamp: TimeSchema.optional().describe('When the object is to be deleted; set once deletion was requested and finalizers are pending.'),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: StringMapSchema.optional().describe('Key/value pairs for organising and selecting objects (selectors match on them).'),
  annotations: StringMapSchema.optional().describe('Key/value pairs for arbitrary, non-identifying data that tools and controllers store on the object.'),
  ownerReferences: z.array(OwnerReferenceSchema).optional().describe('The objects this one depends on. When every owner is gone, the garbage collector deletes it.'),
  finalizers: z.array(z.string()).optional().describe('Names of pending cleanup steps; the object is only removed once this list is empty.'),
  managedFields: z.array(ManagedFieldsEntrySchema).optional().describe('Which manager (kubectl, a controller) owns which fields, as recorded by server-side apply.'),
}).describe('Metadata every stored object carries: its name and namespace, labels and annotations, owners, and fields the server maintains.');
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/** Objects may arrive without metadata (Kubernetes then reports `metadata.name: Required value`). */
export const ObjectMetaFieldSchema = ObjectMetaSchema.default(() => ({}));

export const TypeMetaSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
});
export type TypeMeta = z.infer<typeof TypeMetaSchema>;

export const ListMetaSchema = z.looseObject({
  resourceVersion: z.string().optional(),
  continue: z.string().optional(),
  remainingItemCount: z.number().int().optional(),
  selfLink: z.string().optional(),
}).describe('Metadata of a list response: the resource version it was read at and the token to fetch the next page.');
export type ListMeta = z.infer<typeof ListMetaSchema>;

/**
 * A top-level kind: TypeMeta and ObjectMeta embedded as Go's structs embed them (so `kind, apiVersion, metadata`
 * come first, in Go's order, when an object is written), then the kind's own fields.
 */
export function kindSchema<T extends z.ZodRawShape>(fields: T) {
  return z.looseObject({ kind: z.string(), apiVersion: z.string(), metadata: ObjectMetaFieldSchema, ...fields });
}

/** The minimum every stored object has; the shape the registry contract calls KubeObject. */
export const KubeObjectSchema = kindSchema({});
export type KubeObject = z.infer<typeof KubeObjectSchema>;

export const StatusCauseSchema = z.looseObject({
  reason: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});
export type StatusCause = z.infer<typeof StatusCauseSchema>;

export const StatusDetailsSchema = z.looseObject({
  name: z.string().optional(),
  group: z.string().optional(),
  kind: z.string().optional(),
  uid: z.string().optional(),
  causes: z.array(StatusCauseSchema).optional(),
  retryAfterSeconds: z.number().int().optional(),
});
export type StatusDetails = z.infer<typeof StatusDetailsSchema>;

/** The one error type on the wire. */
export const StatusSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ListMetaSchema.optional(),
  status: z.enum(['Success', 'Failure']).optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  details: StatusDetailsSchema.optional(),
  code: z.number().int().optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const WatchEventTypeSchema = z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);
export type WatchEventType = z.infer<typeof WatchEventTypeSchema>;

/** A watch event whose object is any kind (ERROR events carry a Status). */
export const WatchEventSchema = z.looseObject({
  type: WatchEventTypeSchema,
  object: z.record(z.string(), z.unknown()),
});
export type WatchEvent = z.infer<typeof WatchEventSchema>;

/** A watch event schema for one kind; ERROR events are still accepted (their object is a Status). */
export function watchEventSchema<T extends z.ZodType>(object: T) {
  return z.union([
    z.looseObject({ type: z.enum(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']), object }),
    z.looseObject({ type: z.literal('ERROR'), object: StatusSchema }),
  ]);
}

export const TableColumnDefinitionSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  format: z.string(),
  description: z.string(),
  priority: z.number().int(),
});
export type TableColumnDefinition = z.infer<typeof TableColumnDefinitionSchema>;

export const TableRowSchema = z.looseObject({
  cells: z.array(z.unknown()),
  conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
  object: z.record(z.string(), z.unknown()).optional(),
});
export type TableRow = z.infer<typeof TableRowSchema>;

/** meta.k8s.io/v1 Table, what `kubectl get` asks for. */
export const TableSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('Table'),
  metadata: ListMetaSchema,
  columnDefinitions: z.array(TableColumnDefinitionSchema),
  rows: z.array(TableRowSchema),
});
export type Table = z.infer<typeof TableSchema>;

export const PartialObjectMetadataSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaSchema,
});
export type PartialObjectMetadata = z.infer<typeof PartialObjectMetadataSchema>;

export const PreconditionsSchema = z.looseObject({
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
});

export const DeleteOptionsSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  gracePeriodSeconds: z.number().int().optional(),
  preconditions: PreconditionsSchema.optional(),
  orphanDependents: z.boolean().optional(),
  propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).optional(),
  dryRun: z.array(z.string()).optional(),
});
export type DeleteOptions = z.infer<typeof DeleteOptionsSchema>;

/** `{kind: FooList, apiVersion, metadata, items}` for any item schema. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    kind: z.string().optional(),
    apiVersion: z.string().optional(),
    metadata: ListMetaSchema.default(() => ({})),
    items: z.array(item).default(() => []),
  });
}
