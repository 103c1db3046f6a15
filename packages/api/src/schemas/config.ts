import { z } from 'zod';
import { kindSchema, listSchema } from './meta.js';
import { LocalObjectReferenceSchema, ObjectReferenceSchema, StringMapSchema, TimeSchema } from './primitives.js';

// core/v1 ConfigMap, Secret, ServiceAccount and Event.

export const ConfigMapSchema = kindSchema({
  data: StringMapSchema.optional().describe('The configuration: UTF-8 values keyed by name.'),
  binaryData: StringMapSchema.optional().describe('Binary values, base64-encoded, keyed by name.'), // base64
  immutable: z.boolean().optional().describe('When true, data can no longer be changed (only the whole object deleted).'),
}).describe('A ConfigMap holds non-secret configuration as key/value pairs that pods read as files or environment variables.');
export type ConfigMap = z.infer<typeof ConfigMapSchema>;
export const ConfigMapListSchema = listSchema(ConfigMapSchema);
export type ConfigMapList = z.infer<typeof ConfigMapListSchema>;

export const SecretSchema = kindSchema({
  /** values are base64 on the wire */
  data: StringMapSchema.optional().describe('The secret values, base64-encoded, keyed by name.'),
  /** write-only convenience: merged into `data` (base64-encoded) by applyDefaults, never stored */
  stringData: StringMapSchema.optional().describe('Plain-text values merged into data on write; never returned on read.'),
  type: z.string().optional().describe('What the Secret holds, such as Opaque (the default), kubernetes.io/tls or kubernetes.io/service-account-token.'),
  immutable: z.boolean().optional().describe('When true, data can no longer be changed.'),
}).describe('A Secret holds sensitive data (passwords, tokens, keys) as base64-encoded values; it is stored encrypted.');
export type Secret = z.infer<typeof SecretSchema>;
export const SecretListSchema = listSchema(SecretSchema);
export type SecretList = z.infer<typeof SecretListSchema>;

export const ServiceAccountSchema = kindSchema({
  secrets: z.array(ObjectReferenceSchema).optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional(),
  automountServiceAccountToken: z.boolean().optional(),
}).describe('A ServiceAccount is an identity for processes running in pods; pods authenticate to the API server as it.');
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;
export const ServiceAccountListSchema = listSchema(ServiceAccountSchema);
export type ServiceAccountList = z.infer<typeof ServiceAccountListSchema>;

export const EventSourceSchema = z.looseObject({ component: z.string().optional(), host: z.string().optional() });

export const EventSchema = kindSchema({
  involvedObject: ObjectReferenceSchema.default(() => ({})),
  reason: z.string().optional(),
  message: z.string().optional(),
  source: EventSourceSchema.optional(),
  firstTimestamp: TimeSchema.optional(),
  lastTimestamp: TimeSchema.optional(),
  count: z.number().int().optional(),
  type: z.string().optional(), // Normal | Warning
  eventTime: TimeSchema.optional(), // MicroTime
  series: z.looseObject({ count: z.number().int().optional(), lastObservedTime: TimeSchema.optional() }).optional(),
  action: z.string().optional(),
  related: ObjectReferenceSchema.optional(),
  reportingComponent: z.string().optional(),
  reportingInstance: z.string().optional(),
}).describe('An Event reports something that happened to an object, such as a pod being scheduled or an image failing to pull.');
export type Event = z.infer<typeof EventSchema>;
export const EventListSchema = listSchema(EventSchema);
export type EventList = z.infer<typeof EventListSchema>;
