import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { auditEventSchema, type AuditEvent } from './event.js';
import { createFileSink } from './sink.js';

function event(i: number): AuditEvent {
  return {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${i}`, stage: 'ResponseComplete',
    requestURI: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z', stageTimestamp: '2026-01-01T00:00:00.000100Z',
  };
}

function capturingLog() {
  const lines: { level: number; msg: string; why?: string; droppedTotal?: number }[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  return { log: pino({ level: 'info' }, stream), lines };
}

const readLines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => auditEventSchema.parse(JSON.parse(l)));

describe('file audit sink', () => {
  it('appends one JSON line per event and flushes on close', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tk-audit-'));
    const file = path.join(dir, 'audit.log');
    writeFileSync(file, `${JSON.stringify(event(0))}\n`); // appending, not truncating
    const sink = createFileSink({ path: file, log: pino({ level: 'silent' }) });
    for (let i = 1; i <= 3; i++) sink.process(event(i));
    await sink.close();
    expect(readLines(file).map((e) => e.auditID)).toEqual(['id-0', 'id-1', 'id-2', 'id-3']);
    expect(sink.stats()).toEqual({ written: 3, dropped: 0, queued: 0 });
    sink.process(event(4)); // after close: dropped, not thrown
    expect(sink.stats().dropped).toBe(1);
  });

  it('creates the file owner-readable only', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tk-audit-')), 'audit.log');
    const sink = createFileSink({ path: file, log: pino({ level: 'silent' }) });
    sink.process(event(1));
    await sink.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('survives a write error: drops and counts, warns once, resumes when the file can be written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tk-audit-'));
    const file = path.join(dir, 'missing', 'audit.log');
    const { log, lines } = capturingLog();
    const sink = createFileSink({ path: file, log });
    expect(() => { sink.process(event(1)); sink.process(event(2)); }).not.toThrow();
    await sink.flush();
    sink.process(event(3));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ written: 0, dropped: 3 });
    expect(lines.filter((l) => l.msg === 'dropping audit events')).toHaveLength(1);

    mkdirSync(path.dirname(file));
    sink.process(event(4));
    await sink.close();
    expect(readLines(file).map((e) => e.auditID)).toEqual(['id-4']);
    expect(sink.stats()).toMatchObject({ written: 1, dropped: 3 });
    expect(lines.find((l) => l.msg === 'audit log writes resumed')?.droppedTotal).toBe(3);
  });

  it('bounds its queue', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tk-audit-')), 'audit.log');
    const sink = createFileSink({ path: file, log: pino({ level: 'silent' }), maxQueuedEvents: 2 });
    for (let i = 0; i < 5; i++) sink.process(event(i)); // all on one turn: the writer has not started yet
    await sink.close();
    expect(sink.stats()).toMatchObject({ written: 2, dropped: 3 });
    expect(readLines(file)).toHaveLength(2);
  });

  it('drops an event that cannot be serialised', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tk-audit-')), 'audit.log');
    const sink = createFileSink({ path: file, log: pino({ level: 'silent' }) });
    sink.process({ ...event(1), requestObject: { big: 1n } });
    sink.process(event(2));
    await sink.close();
    expect(sink.stats()).toMatchObject({ written: 1, dropped: 1 });
  });
});
