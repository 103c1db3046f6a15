/**
 * kube's audit.k8s.io/v1 `Event` (k8s.io/apiserver/pkg/apis/audit/v1/types.go). Events are built with their
 * fields in the Go struct's order, so a log line reads exactly like kube-apiserver's (maps with sorted keys, as
 * encoding/json writes them; empty optional fields left out).
 */
import { z } from 'zod';
import type { Attributes, UserInfo } from '../auth/types.js';
import type { Status } from '@tinykube/api';
import { levelSchema, stageSchema, type Level, type Stage } from './policy.js';

export const userInfoSchema = z.object({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});

export const objectReferenceSchema = z.object({
  resource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiGroup: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  subresource: z.string().optional(),
});

/** metav1.Status as the audit event carries it: the bounded fields only. */
export const responseStatusSchema = z.object({
  metadata: z.object({}),
  status: z.enum(['Success', 'Failure']).optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  code: z.number(),
});

export const auditEventSchema = z.object({
  kind: z.literal('Event'),
  apiVersion: z.literal('audit.k8s.io/v1'),
  level: levelSchema,
  auditID: z.string(),
  stage: stageSchema,
  requestURI: z.string(),
  verb: z.string(),
  user: userInfoSchema,
  impersonatedUser: userInfoSchema.optional(),
  sourceIPs: z.array(z.string()).optional(),
  userAgent: z.string().optional(),
  objectRef: objectReferenceSchema.optional(),
  responseStatus: responseStatusSchema.optional(),
  requestObject: z.unknown().optional(),
  responseObject: z.unknown().optional(),
  requestReceivedTimestamp: z.string(),
  stageTimestamp: z.string(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditUserInfo = z.infer<typeof userInfoSchema>;
export type ObjectReference = z.infer<typeof objectReferenceSchema>;
export type ResponseStatus = z.infer<typeof responseStatusSchema>;

/** metav1.MicroTime as kube prints it: RFC 3339 in UTC with exactly six fractional digits. */
export function formatMicroTime(epochMs: number): string {
  const totalMicros = Math.round(epochMs * 1000); // exact below 2^53 µs, i.e. until the year 2255
  const micros = totalMicros % 1000;
  const iso = new Date((totalMicros - micros) / 1000).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

function sortedRecord<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}

/** authentication/v1 UserInfo: username, uid, groups, extra (omitted when empty). */
export function auditUser(u: UserInfo): AuditUserInfo {
  const out: AuditUserInfo = { username: u.username };
  if (u.uid) out.uid = u.uid;
  if (u.groups.length > 0) out.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length > 0) out.extra = sortedRecord(u.extra);
  return out;
}

/** objectRef for resource requests (none for non-resource ones), fields in struct order, empty ones left out. */
export function objectRefFor(a: Attributes): ObjectReference | undefined {
  if (!a.resourceRequest) return undefined;
  const ref: ObjectReference = {};
  if (a.resource) ref.resource = a.resource;
  if (a.namespace) ref.namespace = a.namespace;
  if (a.name) ref.name = a.name;
  if (a.apiGroup) ref.apiGroup = a.apiGroup;
  if (a.apiVersion) ref.apiVersion = a.apiVersion;
  if (a.subresource) ref.subresource = a.subresource;
  return ref;
}

/** Re-orders an objectRef into struct order (after fields were filled in from a request body). */
export function orderedObjectRef(r: ObjectReference): ObjectReference {
  const out: ObjectReference = {};
  for (const k of ['resource', 'namespace', 'name', 'uid', 'apiGroup', 'apiVersion', 'resourceVersion', 'subresource'] as const) {
    if (r[k]) out[k] = r[k];
  }
  return out;
}

/** A Status response keeps its bounded fields; any other response is just its code (kube's WriteHeader capture). */
export function responseStatusFor(code: number, status?: Pick<Status, 'status' | 'message' | 'reason' | 'details' | 'code'>): ResponseStatus {
  const out: Record<string, unknown> = { metadata: {} };
  if (status) {
    if (status.status) out.status = status.status;
    if (status.message) out.message = status.message;
    if (status.reason) out.reason = status.reason;
    if (status.details && Object.keys(status.details).length > 0) out.details = status.details;
  }
  out.code = status?.code ?? code;
  return out as ResponseStatus;
}

/** Everything about a request that is fixed once the audit record begins. */
export interface EventHeader {
  level: Level;
  auditID: string;
  requestURI: string;
  verb: string;
  user: AuditUserInfo;
  impersonatedUser?: AuditUserInfo;
  sourceIPs?: string[];
  userAgent?: string;
  requestReceivedTimestamp: string;
}

export interface EventBody {
  objectRef?: ObjectReference;
  responseStatus?: ResponseStatus;
  requestObject?: unknown;
  responseObject?: unknown;
  annotations?: Record<string, string>;
}

/** One event, fields in the Go struct's order. */
export function buildEvent(h: EventHeader, stage: Stage, stageTimestamp: string, b: EventBody): AuditEvent {
  // JSON.stringify follows insertion order, and optional fields sit between fixed ones: build it in order
  const ev: Record<string, unknown> = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1',
    level: h.level, auditID: h.auditID, stage, requestURI: h.requestURI, verb: h.verb, user: h.user,
  };
  if (h.impersonatedUser) ev.impersonatedUser = h.impersonatedUser;
  if (h.sourceIPs && h.sourceIPs.length > 0) ev.sourceIPs = h.sourceIPs;
  if (h.userAgent) ev.userAgent = h.userAgent;
  if (b.objectRef) ev.objectRef = b.objectRef;
  if (b.responseStatus) ev.responseStatus = b.responseStatus;
  if (b.requestObject !== undefined) ev.requestObject = b.requestObject;
  if (b.responseObject !== undefined) ev.responseObject = b.responseObject;
  ev.requestReceivedTimestamp = h.requestReceivedTimestamp;
  ev.stageTimestamp = stageTimestamp;
  if (b.annotations && Object.keys(b.annotations).length > 0) ev.annotations = sortedRecord(b.annotations);
  return ev as AuditEvent;
}
