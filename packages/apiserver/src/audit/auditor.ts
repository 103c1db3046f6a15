/**
 * The audit stage of the request pipeline (authenticate → audit → authorize → admit → handle), as kube's
 * WithAudit filter runs it: the policy picks a level from the request's authorizer Attributes; at None nothing
 * more happens (begin returns undefined, having allocated nothing). Otherwise a record emits
 *   RequestReceived at begin (unless the policy omits it),
 *   ResponseStarted when the headers of a long-running request (watch, exec, attach, log, proxy, portforward)
 *     go out — or, if they never did, just before the end,
 *   ResponseComplete at end, or Panic when the handler failed unexpectedly.
 * Request objects are recorded from Request level, response objects at RequestResponse, never for
 * non-resource requests, always without Secret data (redact.ts). Nothing here throws into the request path.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Attributes, Decision, UserInfo } from '../auth/types.js';
import type { Status } from '@tinykube/api';
import { isRecord } from '../util.js';
import {
  auditUser, buildEvent, formatMicroTime, objectRefFor, orderedObjectRef, responseStatusFor,
  type EventHeader, type ObjectReference, type ResponseStatus,
} from './event.js';
import { evaluatePolicy, type AuditPolicy, type Level, type RequestAuditConfig, type Stage } from './policy.js';
import { sanitizeBody } from './redact.js';
import type { AuditSink } from './sink.js';

export const ANNOTATION_DECISION = 'authorization.k8s.io/decision';
export const ANNOTATION_REASON = 'authorization.k8s.io/reason';

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
const MAX_USER_AGENT = 1024;
const LEVEL_RANK: Record<Level, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

export interface AuditorOptions {
  policy: AuditPolicy;
  sink: AuditSink;
  log: Logger;
  /** epoch milliseconds; fractions are kept to the microsecond */
  clock?: () => number;
  newAuditID?: () => string;
}

/** What begin needs of a request; everything derived from it is derived only when the level is not None. */
export interface BeginInput {
  attrs: Attributes;
  /** path and query as the client sent them (req.url) */
  requestURI: string;
  /** the request headers: User-Agent, X-Forwarded-For / X-Real-Ip (source IPs) and Audit-ID are read */
  headers: Headers;
  /** the peer's address (req.socket.remoteAddress) */
  remoteAddress?: string;
  impersonatedUser?: UserInfo;
  /** when the request arrived (epoch ms); defaults to now */
  receivedAt?: number;
}

type Headers = { [name: string]: string | string[] | undefined };

const header = (h: Headers, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export interface AuditResponse {
  code: number;
  /** the Status sent, for failures (and Status-returning successes such as delete) */
  status?: Pick<Status, 'status' | 'message' | 'reason' | 'details' | 'code'>;
  /** the response body (an object, or its JSON text); recorded at RequestResponse */
  responseObject?: unknown;
}

export interface AuditRecord {
  readonly level: Level;
  readonly auditID: string;
  readonly longRunning: boolean;
  /** The decoded request body, before the handler changes it (it is copied). */
  setRequestObject(obj: unknown): void;
  setResponseObject(obj: unknown): void;
  /** Impersonation happens after audit begins (kube's chain); the event's `user` stays the authenticated one. */
  setImpersonatedUser(user: UserInfo): void;
  /** First value wins, as in kube (a conflicting later value is logged and ignored). */
  setAnnotation(key: string, value: string): void;
  /** Headers are going out: emits ResponseStarted for long-running requests (once). */
  responseStarted(code: number): void;
  end(response: AuditResponse): void;
  /** The handler failed unexpectedly (kube: a panic): emits Panic instead of ResponseComplete. */
  panic(err: unknown): void;
}

export interface Auditor {
  begin(input: BeginInput): AuditRecord | undefined;
}

export function createAuditor(opts: AuditorOptions): Auditor {
  const clock = opts.clock ?? (() => performance.timeOrigin + performance.now());
  const newID = opts.newAuditID ?? randomUUID;
  const log = opts.log.child({ component: 'audit' });
  return {
    begin(input) {
      const config = evaluatePolicy(opts.policy, input.attrs);
      if (config.level === 'None') return undefined;
      try {
        return new LiveRecord(config, input, opts.sink, clock, newID, log);
      } catch (err) {
        log.warn({ err }, 'could not start an audit record');
        return undefined;
      }
    },
  };
}

class LiveRecord implements AuditRecord {
  readonly level: Level;
  readonly auditID: string;
  readonly longRunning: boolean;
  private header: EventHeader;
  private objectRef: ObjectReference | undefined;
  private annotations: Record<string, string> | undefined;
  private requestObject: unknown;
  private responseObject: unknown;
  private started = false;
  private ended = false;

  constructor(
    private readonly config: RequestAuditConfig,
    private readonly input: BeginInput,
    private readonly sink: AuditSink,
    private readonly clock: () => number,
    newID: () => string,
    private readonly log: Logger,
  ) {
    const a = input.attrs;
    this.level = config.level;
    // kube keeps an Audit-ID the request already carries (set by a front proxy or an aggregator)
    this.auditID = header(input.headers, 'audit-id')?.trim() || newID();
    this.longRunning = LONG_RUNNING_VERBS.has(a.verb) || (a.resourceRequest && LONG_RUNNING_SUBRESOURCES.has(a.subresource));
    let ua = header(input.headers, 'user-agent') ?? '';
    if (ua.length > MAX_USER_AGENT) ua = `${ua.slice(0, MAX_USER_AGENT)}...TRUNCATED`;
    this.header = {
      level: config.level, auditID: this.auditID, requestURI: input.requestURI, verb: a.verb, user: auditUser(a.user),
      impersonatedUser: input.impersonatedUser ? auditUser(input.impersonatedUser) : undefined,
      sourceIPs: sourceIPsOf(input.headers, input.remoteAddress), userAgent: ua || undefined,
      requestReceivedTimestamp: formatMicroTime(input.receivedAt ?? clock()),
    };
    this.objectRef = objectRefFor(a);
    this.emit('RequestReceived', {});
  }

  private atLeast(l: Level): boolean { return LEVEL_RANK[this.level] >= LEVEL_RANK[l]; }

  private target() {
    const a = this.input.attrs;
    return { apiGroup: a.apiGroup, resource: a.resource, subresource: a.subresource };
  }

  private emit(stage: Stage, extra: { responseStatus?: ResponseStatus; withObjects?: boolean }): void {
    if (this.config.omitStages.has(stage)) return;
    try {
      const ts = stage === 'RequestReceived' ? this.header.requestReceivedTimestamp : formatMicroTime(this.clock());
      let responseObject: unknown;
      if (extra.withObjects && this.responseObject !== undefined) {
        responseObject = sanitizeBody(this.responseObject, this.target(), this.config.omitManagedFields);
      }
      this.sink.process(buildEvent(this.header, stage, ts, {
        objectRef: this.objectRef, responseStatus: extra.responseStatus,
        requestObject: stage === 'RequestReceived' ? undefined : this.requestObject,
        responseObject, annotations: this.annotations,
      }));
    } catch (err) {
      this.log.warn({ err, auditID: this.auditID, stage }, 'could not build an audit event');
    }
  }

  setRequestObject(obj: unknown): void {
    if (this.ended) return;
    try {
      const body = typeof obj === 'string' || Buffer.isBuffer(obj) ? parseJson(obj) : obj;
      if (body === undefined) return;
      this.completeObjectRef(body);
      if (!this.atLeast('Request') || !this.input.attrs.resourceRequest) return;
      this.requestObject = sanitizeBody(structuredClone(body), this.target(), this.config.omitManagedFields);
    } catch (err) {
      this.log.warn({ err, auditID: this.auditID }, 'could not record the request object');
    }
  }

  /** kube's LogRequestObject fills the objectRef from the body's metadata where the URL said nothing. */
  private completeObjectRef(body: unknown): void {
    if (!this.objectRef || !isRecord(body) || !isRecord(body.metadata)) return;
    const m = body.metadata;
    const ref = this.objectRef;
    if (!ref.namespace && typeof m.namespace === 'string') ref.namespace = m.namespace;
    if (!ref.name && typeof m.name === 'string') ref.name = m.name;
    if (!ref.uid && typeof m.uid === 'string') ref.uid = m.uid;
    if (!ref.resourceVersion && typeof m.resourceVersion === 'string') ref.resourceVersion = m.resourceVersion;
    this.objectRef = orderedObjectRef(ref);
  }

  setImpersonatedUser(user: UserInfo): void {
    if (this.ended) return;
    this.header = { ...this.header, impersonatedUser: auditUser(user) };
  }

  setResponseObject(obj: unknown): void {
    if (this.ended || !this.atLeast('RequestResponse') || !this.input.attrs.resourceRequest) return;
    this.responseObject = obj;
  }

  setAnnotation(key: string, value: string): void {
    const cur = this.annotations?.[key];
    if (cur !== undefined) {
      if (cur !== value) this.log.warn({ auditID: this.auditID, key, value, current: cur }, 'audit annotation already set; keeping the first value');
      return;
    }
    (this.annotations ??= {})[key] = value;
  }

  responseStarted(code: number): void {
    if (!this.longRunning || this.started || this.ended) return;
    this.started = true;
    this.emit('ResponseStarted', { responseStatus: responseStatusFor(code) });
  }

  end(response: AuditResponse): void {
    if (this.ended) return;
    if (response.responseObject !== undefined) this.setResponseObject(response.responseObject);
    if (this.responseObject !== undefined && (typeof this.responseObject === 'string' || Buffer.isBuffer(this.responseObject))) {
      this.responseObject = parseJson(this.responseObject);
    }
    const responseStatus = responseStatusFor(response.code, response.status);
    if (this.longRunning && !this.started) {
      this.started = true;
      this.emit('ResponseStarted', { responseStatus });
    }
    this.ended = true;
    this.emit('ResponseComplete', { responseStatus, withObjects: true });
  }

  panic(err: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const message = `APIServer panic'd: ${err instanceof Error ? err.message : String(err)}`;
    this.emit('Panic', { responseStatus: responseStatusFor(500, { status: 'Failure', reason: 'InternalError', message, code: 500 }), withObjects: true });
  }
}

function parseJson(raw: string | Buffer): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return undefined; // not JSON (protobuf, YAML text): not recorded rather than recorded raw
  }
}

/**
 * Emits ResponseStarted when the headers of a long-running response go out (kube's decorated ResponseWriter):
 * wraps res.writeHead, which node also calls for implicit headers.
 */
export function trackResponseStart(record: AuditRecord, res: ServerResponse): void {
  if (!record.longRunning) return;
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    record.responseStarted(typeof args[0] === 'number' ? args[0] : this.statusCode);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/** The authorizer's verdict as kube records it on the event. */
export function annotateDecision(record: AuditRecord | undefined, d: Decision): void {
  if (!record) return;
  record.setAnnotation(ANNOTATION_DECISION, d.decision === 'allow' ? 'allow' : 'forbid');
  record.setAnnotation(ANNOTATION_REASON, d.reason);
}

/**
 * kube's utilnet.SourceIPs: the X-Forwarded-For entries, then X-Real-Ip unless already listed, then the peer
 * unless it equals the last entry. IPv4-mapped IPv6 peers are printed as IPv4.
 */
export function sourceIPsOf(headers: Headers, remoteAddress: string | undefined): string[] {
  const out: string[] = [];
  const xff = header(headers, 'x-forwarded-for');
  if (xff) for (const part of xff.split(',')) { const ip = part.trim(); if (ip) out.push(ip); }
  const real = header(headers, 'x-real-ip')?.trim();
  if (real && !out.includes(real)) out.push(real);
  const peer = remoteAddress?.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
  if (peer && out[out.length - 1] !== peer) out.push(peer);
  return out;
}
