import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePayload, type Payload } from './atomic-writer.js';

const root = mkdtempSync(join(tmpdir(), 'tk-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `v${++n}`);
const file = (s: string, mode = 0o644) => ({ data: Buffer.from(s), mode });

describe('writePayload', () => {
  it('writes every file with its mode, nested paths included', () => {
    const dir = fresh();
    writePayload(dir, new Map([['token', file('t1', 0o600)], ['conf/app.yaml', file('a: 1')]]));
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('t1');
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'conf/app.yaml'), 'utf8')).toBe('a: 1');
    expect(statSync(join(dir, 'conf/app.yaml')).mode & 0o777).toBe(0o644);
  });

  it('replaces a changed file by rename (a new inode), leaves an unchanged one alone, and fixes a mode', () => {
    const dir = fresh();
    writePayload(dir, new Map([['token', file('t1')], ['ca.crt', file('ca')]]));
    const token = statSync(join(dir, 'token')).ino;
    const ca = statSync(join(dir, 'ca.crt')).ino;
    writePayload(dir, new Map([['token', file('t2')], ['ca.crt', file('ca')]]));
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('t2');
    expect(statSync(join(dir, 'token')).ino).not.toBe(token);
    expect(statSync(join(dir, 'ca.crt')).ino).toBe(ca);
    writePayload(dir, new Map([['token', file('t2', 0o400)], ['ca.crt', file('ca')]]));
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o400);
  });

  it('removes files the payload no longer has (a deleted key), and stray temp files', () => {
    const dir = fresh();
    writePayload(dir, new Map([['a', file('1')], ['sub/b', file('2')]]));
    writeFileSync(join(dir, '..123.4.tmp'), 'half');
    writePayload(dir, new Map([['a', file('1')]]));
    expect(existsSync(join(dir, 'sub/b'))).toBe(false);
    expect(existsSync(join(dir, '..123.4.tmp'))).toBe(false);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('1');
    const empty: Payload = new Map();
    writePayload(dir, empty);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    expect(existsSync(dir)).toBe(true);
  });

  it('replaces a folder where a file now goes, and keeps paths inside the volume', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'x'), { recursive: true });
    writePayload(dir, new Map([['x', file('now a file')], ['../../escape', file('e')]]));
    expect(readFileSync(join(dir, 'x'), 'utf8')).toBe('now a file');
    expect(readFileSync(join(dir, 'escape'), 'utf8')).toBe('e');
    expect(() => writePayload(dir, new Map([['', file('?')]]))).toThrow('invalid file path ""');
  });
});
