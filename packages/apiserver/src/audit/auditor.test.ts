import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Attributes } from '../auth/types.js';
import { notFound } from '@tinykube/api';
import { annotateDecision, createAuditor, sourceIPsOf, trackResponseStart, type BeginInput } from './auditor.js';
import { auditEventSchema, formatMicroTime, type AuditEvent } from './event.js';
import type { AuditPolicy, Level } from './policy.js';
import type { AuditSink } from './sink.js';

const log = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.9;

function memorySink(): AuditSink & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    // what the file sink does: serialise on the caller's turn
    process(ev) { events.push(auditEventSchema.parse(JSON.parse(JSON.stringify(ev)))); },
    flush: async () => {}, close: async () => {},
    stats: () => ({ written: events.length, dropped: 0, queued: 0 }),
  };
}

function attrs(over: Partial<Attributes> = {}): Attributes {
  return {
    user: { username: 'alice', uid: 'u-1', groups: ['system:authenticated'], extra: { scopes: ['b', 'a'] } },
    verb: 'create', resourceRequest: true, path: '/api/v1/namespaces/default/configmaps',
    apiGroup: '', apiVersion: 'v1', resource: 'configmaps', subresource: '', namespace: 'default', name: '',
    ...over,
  };
}

function setup(level: Level, extra: Partial<AuditPolicy> = {}) {
  const sink = memorySink();
  let now = T0;
  const policy: AuditPolicy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level }], ...extra };
  const auditor = createAuditor({ policy, sink, log, clock: () => now, newAuditID: () => 'id-1' });
  const begin = (a: Attributes = attrs(), over: Partial<BeginInput> = {}) =>
    auditor.begin({
      attrs: a, requestURI: '/api/v1/namespaces/default/configmaps?fieldManager=kubectl',
      headers: { 'user-agent': 'kubectl/v1.31' }, remoteAddress: '::ffff:10.0.0.1', ...over,
    });
  return { sink, begin, tick: (ms: number) => { now += ms; } };
}

const CM = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', managedFields: [{ manager: 'kubectl' }] }, data: { a: '1' } };

describe('auditor', () => {
  it('records nothing at None', () => {
    const { sink, begin } = setup('None');
    expect(begin()).toBeUndefined();
    expect(sink.events).toEqual([]);
  });

  it('emits RequestReceived and ResponseComplete with kube field order and timestamps', () => {
    const { sink, begin, tick } = setup('Metadata');
    const rec = begin()!;
    rec.setRequestObject(CM);
    annotateDecision(rec, { decision: 'allow', reason: 'RBAC: allowed' });
    tick(2.5);
    rec.end({ code: 201, responseObject: CM });
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
    const [received, done] = sink.events;
    expect(Object.keys(done)).toEqual([
      'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent', 'objectRef',
      'responseStatus', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations',
    ]);
    expect(done).toMatchObject({
      sourceIPs: ['10.0.0.1'], userAgent: 'kubectl/v1.31',
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'id-1', verb: 'create',
      requestURI: '/api/v1/namespaces/default/configmaps?fieldManager=kubectl',
      user: { username: 'alice', uid: 'u-1', groups: ['system:authenticated'], extra: { scopes: ['b', 'a'] } },
      // the name came from the body: kube's LogRequestObject fills the objectRef in
      objectRef: { resource: 'configmaps', namespace: 'default', name: 'cfg', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' },
    });
    expect(Object.keys(done.objectRef!)).toEqual(['resource', 'namespace', 'name', 'apiVersion']);
    expect(received.requestReceivedTimestamp).toBe('2026-01-02T03:04:05.678900Z');
    expect(received.stageTimestamp).toBe(received.requestReceivedTimestamp);
    expect(done.stageTimestamp).toBe('2026-01-02T03:04:05.681400Z');
    expect(received.objectRef).toEqual({ resource: 'configmaps', namespace: 'default', apiVersion: 'v1' });
    expect(received.responseStatus).toBeUndefined();
  });

  it('Metadata has no objects; Request has the request object; RequestResponse both', () => {
    const stages = (level: Level) => {
      const { sink, begin } = setup(level);
      const rec = begin()!;
      rec.setRequestObject(CM);
      rec.end({ code: 201, responseObject: JSON.stringify(CM) }); // a pre-serialised body is accepted too
      return sink.events.at(-1)!;
    };
    expect(stages('Metadata').requestObject).toBeUndefined();
    expect(stages('Metadata').responseObject).toBeUndefined();
    expect(stages('Request').requestObject).toEqual(CM);
    expect(stages('Request').responseObject).toBeUndefined();
    expect(stages('RequestResponse').requestObject).toEqual(CM);
    expect(stages('RequestResponse').responseObject).toEqual(CM);
  });

  it('copies the request object before the handler changes it, and omits managedFields when asked', () => {
    const { sink, begin } = setup('Request', { omitManagedFields: true });
    const body = structuredClone(CM);
    const rec = begin()!;
    rec.setRequestObject(body);
    body.data.a = 'changed';
    rec.end({ code: 201 });
    const obj = sink.events.at(-1)!.requestObject as typeof CM;
    expect(obj.data.a).toBe('1');
    expect(obj.metadata).toEqual({ name: 'cfg', namespace: 'default' });
  });

  it('never records objects for non-resource requests', () => {
    const { sink, begin } = setup('RequestResponse');
    const rec = begin(attrs({ resourceRequest: false, verb: 'get', path: '/version', resource: '', apiVersion: '', namespace: '' }), { requestURI: '/version' })!;
    rec.setRequestObject({ a: 1 });
    rec.end({ code: 200, responseObject: { major: '1' } });
    const ev = sink.events.at(-1)!;
    expect(ev.objectRef).toBeUndefined();
    expect(ev.requestObject).toBeUndefined();
    expect(ev.responseObject).toBeUndefined();
  });

  it('records the Status of a failure', () => {
    const { sink, begin } = setup('Metadata', { omitStages: ['RequestReceived'] });
    const rec = begin(attrs({ verb: 'get', name: 'x' }))!;
    const err = notFound({ group: '', resource: 'configmaps' }, 'x');
    rec.end({ code: 404, status: err.status, responseObject: err.status });
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0].responseStatus).toEqual({
      metadata: {}, status: 'Failure', message: 'configmaps "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'configmaps' }, code: 404,
    });
    expect(Object.keys(sink.events[0].responseStatus!)).toEqual(['metadata', 'status', 'message', 'reason', 'details', 'code']);
  });

  it('emits ResponseStarted for long-running requests, once, and fakes it if headers never went out', () => {
    const { sink, begin } = setup('Metadata');
    const watch = begin(attrs({ verb: 'watch', name: '' }))!;
    expect(watch.longRunning).toBe(true);
    watch.responseStarted(200);
    watch.responseStarted(200);
    watch.end({ code: 200 });
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    expect(sink.events[1].responseStatus).toEqual({ metadata: {}, code: 200 });

    sink.events.length = 0;
    const exec = begin(attrs({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'p' }))!;
    exec.end({ code: 101 });
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);

    sink.events.length = 0;
    const get = begin(attrs({ verb: 'get', name: 'x' }))!;
    get.responseStarted(200);
    get.end({ code: 200 });
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
  });

  it('sees the headers of a real long-running response go out', async () => {
    const { sink, begin } = setup('Metadata');
    let ended!: () => void;
    const done = new Promise<void>((r) => { ended = r; });
    const server = createServer((req, res) => {
      const rec = begin(attrs({ verb: 'watch' }), { headers: req.headers, remoteAddress: req.socket.remoteAddress })!;
      trackResponseStart(rec, res);
      res.once('close', () => { rec.end({ code: res.statusCode }); ended(); });
      res.setHeader('Content-Type', 'application/json');
      res.write('{"type":"ADDED"}\n'); // implicit headers: node calls writeHead itself
      expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseStarted']);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const reply = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/pods?watch=1`);
      await reply.text();
      await done;
    } finally {
      server.close();
    }
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    expect(sink.events[0].sourceIPs).toEqual(['127.0.0.1']);
    expect(sink.events[0].userAgent).toBe('node');
  });

  it('emits Panic instead of ResponseComplete, and nothing after the end', () => {
    const { sink, begin } = setup('Metadata');
    const rec = begin()!;
    rec.panic(new Error('boom'));
    rec.end({ code: 500 });
    expect(sink.events.map((e) => e.stage)).toEqual(['RequestReceived', 'Panic']);
    expect(sink.events[1].responseStatus).toEqual({ metadata: {}, status: 'Failure', message: "APIServer panic'd: boom", reason: 'InternalError', code: 500 });
  });

  it('keeps an Audit-ID the request carries and truncates long user agents', () => {
    const { sink, begin } = setup('Metadata');
    const rec = begin(attrs(), { headers: { 'audit-id': 'from-proxy', 'user-agent': 'x'.repeat(2000) } })!;
    expect(rec.auditID).toBe('from-proxy');
    rec.end({ code: 200 });
    expect(sink.events[1].auditID).toBe('from-proxy');
    expect(sink.events[1].userAgent).toBe(`${'x'.repeat(1024)}...TRUNCATED`);
  });

  it('keeps the first value of an annotation and records the impersonated user', () => {
    const { sink, begin } = setup('Metadata');
    const rec = begin()!;
    rec.setImpersonatedUser({ username: 'bob', groups: [] });
    annotateDecision(rec, { decision: 'deny', reason: 'no' });
    rec.setAnnotation('authorization.k8s.io/decision', 'allow');
    rec.end({ code: 403 });
    const ev = sink.events.at(-1)!;
    expect(ev.annotations).toEqual({ 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': 'no' });
    expect(ev.impersonatedUser).toEqual({ username: 'bob' });
  });

  it('never throws into the request path', () => {
    const sink = memorySink();
    sink.process = () => { throw new Error('sink broke'); };
    const auditor = createAuditor({ policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'RequestResponse' }] }, sink, log });
    const rec = auditor.begin({ attrs: attrs(), requestURI: '/', headers: {} })!;
    const cyclic: Record<string, unknown> = { kind: 'ConfigMap' };
    cyclic.self = cyclic;
    expect(() => { rec.setRequestObject(() => 1); rec.setResponseObject(cyclic); rec.end({ code: 200 }); }).not.toThrow();
  });
});

describe('Secrets in the audit log', () => {
  const SECRET = {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 's', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', keep: 'me' } },
    data: { password: 'aHVudGVyMg==' }, stringData: { token: 'hunter2' },
  };
  const secretAttrs = (over: Partial<Attributes> = {}) => attrs({ resource: 'secrets', path: '/api/v1/namespaces/default/secrets', ...over });

  function logOf(level: Level, run: (rec: NonNullable<ReturnType<ReturnType<typeof setup>['begin']>>) => void, a = secretAttrs()): string {
    const { sink, begin } = setup(level);
    run(begin(a)!);
    return sink.events.map((e) => JSON.stringify(e)).join('\n');
  }

  it('never shows data, stringData or last-applied-configuration, even at RequestResponse', () => {
    const line = logOf('RequestResponse', (rec) => { rec.setRequestObject(SECRET); rec.end({ code: 201, responseObject: SECRET }); });
    expect(line).not.toContain('aHVudGVyMg==');
    expect(line).not.toContain('hunter2');
    const ev = JSON.parse(line.split('\n').at(-1)!) as AuditEvent;
    expect(ev.requestObject).toMatchObject({ data: { password: 'REDACTED' }, stringData: { token: 'REDACTED' }, metadata: { annotations: { keep: 'me' } } });
    expect(ev.responseObject).toMatchObject({ data: { password: 'REDACTED' } });
    expect(SECRET.data.password).toBe('aHVudGVyMg=='); // the caller's object is untouched
  });

  it('redacts lists and tables of Secrets, and patches sent to secrets', () => {
    const list = { apiVersion: 'v1', kind: 'SecretList', metadata: {}, items: [SECRET, { ...SECRET, metadata: { name: 't' } }] };
    const table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [{ cells: ['s'], object: SECRET }] };
    for (const body of [list, table]) {
      const line = logOf('RequestResponse', (rec) => rec.end({ code: 200, responseObject: body }), secretAttrs({ verb: 'list' }));
      expect(line).not.toContain('aHVudGVyMg==');
      expect(line).not.toContain('hunter2');
    }
    const merge = logOf('Request', (rec) => { rec.setRequestObject({ data: { password: 'bmV3' } }); rec.end({ code: 200 }); }, secretAttrs({ verb: 'patch', name: 's' }));
    expect(merge).not.toContain('bmV3');
    const jsonPatch = logOf('Request', (rec) => { rec.setRequestObject([{ op: 'replace', path: '/data/password', value: 'bmV3' }]); rec.end({ code: 200 }); }, secretAttrs({ verb: 'patch', name: 's' }));
    expect(jsonPatch).not.toContain('bmV3');
    expect(jsonPatch).toContain('/data/password');
  });

  it('redacts TokenRequest status.token and TokenReview spec.token', () => {
    const tr = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['a'] }, status: { token: 'eyJhbGciOi.jwt', expirationTimestamp: 'x' } };
    const trLine = logOf('RequestResponse', (rec) => { rec.setRequestObject({ spec: tr.spec }); rec.end({ code: 201, responseObject: tr }); },
      attrs({ resource: 'serviceaccounts', subresource: 'token', name: 'default' }));
    expect(trLine).not.toContain('eyJhbGciOi');
    const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'eyJhbGciOi.jwt' } };
    const rvLine = logOf('RequestResponse', (rec) => { rec.setRequestObject(review); rec.end({ code: 201, responseObject: { ...review, status: { authenticated: true } } }); },
      attrs({ apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', namespace: '' }));
    expect(rvLine).not.toContain('eyJhbGciOi');
    expect(rvLine).toContain('"authenticated":true');
  });
});

describe('event helpers', () => {
  it('formats MicroTime with six digits in UTC', () => {
    expect(formatMicroTime(Date.UTC(2026, 4, 1, 0, 0, 0, 5))).toBe('2026-05-01T00:00:00.005000Z');
    expect(formatMicroTime(Date.UTC(2026, 4, 1, 0, 0, 0, 5) + 0.123)).toBe('2026-05-01T00:00:00.005123Z');
  });

  it('lists source IPs as kube does', () => {
    expect(sourceIPsOf({}, '::ffff:127.0.0.1')).toEqual(['127.0.0.1']);
    expect(sourceIPsOf({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2', 'x-real-ip': '2.2.2.2' }, '10.0.0.1')).toEqual(['1.1.1.1', '2.2.2.2', '10.0.0.1']);
    expect(sourceIPsOf({ 'x-real-ip': '3.3.3.3' }, '3.3.3.3')).toEqual(['3.3.3.3']);
  });
});
