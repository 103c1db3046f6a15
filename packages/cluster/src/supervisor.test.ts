import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { Supervised } from './supervisor.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tk-sup-'));
const log = pino({ level: 'silent' });

describe('Supervised', () => {
  it('restarts a component that dies, and stop() ends it for good', async () => {
    const script = path.join(dir, 'crashy.mjs');
    // Prints its pid, then exits with an error shortly after: the supervisor must start it again.
    writeFileSync(script, 'console.log("pid", process.pid); setTimeout(() => process.exit(3), 50);');
    const logFile = path.join(dir, 'crashy.log');
    const s = new Supervised({ name: 'crashy', entry: script, args: [], logFile }, log);
    s.start();
    const pidsInLog = () => new Set(readFileSync(logFile, 'utf8').match(/pid \d+/g) ?? []);
    await waitFor(() => pidsInLog().size >= 2, { timeoutMs: 10_000, what: 'a second run after the crash' });
    expect(s.restarts).toBeGreaterThanOrEqual(1);
    await s.stop();
    const last = s.pid!;
    expect(() => process.kill(last, 0)).toThrow(); // the last child is gone
    const restarts = s.restarts;
    // stop() cleared any pending restart: no new process appears after the crash exit code path.
    await expect(waitFor(() => s.restarts > restarts, { timeoutMs: 1_500 })).rejects.toThrow(/timed out/);
  });

  it('stops a long-running component with SIGTERM', async () => {
    const script = path.join(dir, 'steady.mjs');
    writeFileSync(script, 'process.on("SIGTERM", () => { console.log("got SIGTERM"); process.exit(0); }); setInterval(() => {}, 1000); console.log("up");');
    const logFile = path.join(dir, 'steady.log');
    const s = new Supervised({ name: 'steady', entry: script, args: [], logFile }, log);
    s.start();
    await waitFor(() => readFileSync(logFile, 'utf8').includes('up'), { what: 'start' });
    await s.stop();
    expect(readFileSync(logFile, 'utf8')).toContain('got SIGTERM');
    expect(s.restarts).toBe(0);
  });
});
