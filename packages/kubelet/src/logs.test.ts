import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followLog, readLog, rotateIfNeeded, tailLines } from './logs.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logs', () => {
  it('tails lines', () => {
    expect(tailLines('a\nb\nc\n', 2)).toBe('b\nc\n');
    expect(tailLines('a\nb\nc', 1)).toBe('c');
    expect(tailLines('a\n', 0)).toBe('');
  });

  it('rotates with copy-then-truncate and reads both parts', () => {
    const p = join(dir, '0.log');
    writeFileSync(p, 'old line\n');
    expect(rotateIfNeeded(p, 1000)).toBe(false);
    expect(rotateIfNeeded(p, 4)).toBe(true);
    appendFileSync(p, 'new line\n');
    expect(readLog(p)).toBe('old line\nnew line\n');
    expect(readLog(p, { tailLines: 1 })).toBe('new line\n');
    expect(readLog(join(dir, 'missing.log'))).toBe('');
  });

  it('follows appended output until told to stop', async () => {
    const p = join(dir, 'f.log');
    writeFileSync(p, '');
    let done = false;
    const ac = new AbortController();
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const c of followLog(p, 0, () => done, ac.signal, 10)) chunks.push(c.toString());
    })();
    appendFileSync(p, 'one\n');
    appendFileSync(p, 'two\n');
    done = true;
    await reading;
    expect(chunks.join('')).toBe('one\ntwo\n');
  });
});
