import { describe, expect, it } from 'vitest';
import { ApiError, isGone } from '@tinykube/api';
import { decodeWatch, WatchDecodeError } from './watch.js';
import type { WatchEvent } from './types.js';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const p of parts) yield p;
}
async function collect(it: AsyncIterable<WatchEvent>): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}
const ev = (type: string, name: string, rv = '1') => JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } });

describe('decodeWatch', () => {
  it('handles several events per chunk and lines split across chunks', async () => {
    const text = `${ev('ADDED', 'a')}\n${ev('MODIFIED', 'a', '2')}\n${ev('DELETED', 'a', '3')}\n`;
    const events = await collect(decodeWatch(chunks(text.slice(0, 10), text.slice(10, 70), text.slice(70))));
    expect(events.map((e) => [e.type, e.object.metadata?.resourceVersion])).toEqual([['ADDED', '1'], ['MODIFIED', '2'], ['DELETED', '3']]);
  });

  it('reassembles a UTF-8 character split between chunks, and a last line without newline', async () => {
    const bytes = Buffer.from(`${ev('ADDED', 'é-pod')}\n${ev('BOOKMARK', '', '9')}`);
    const cut = bytes.indexOf(0xc3) + 1; // in the middle of "é"
    const events = await collect(decodeWatch(chunks(bytes.subarray(0, cut), bytes.subarray(cut))));
    expect(events[0].object.metadata?.name).toBe('é-pod');
    expect(events[1]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } });
  });

  it('turns an ERROR event into a typed ApiError (410 Expired)', async () => {
    const err = JSON.stringify({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: 'too old' } });
    const it = decodeWatch(chunks(`${ev('ADDED', 'a')}\n${err}\n`));
    const first = await it.next();
    expect(first.value).toMatchObject({ type: 'ADDED' });
    const e = await it.next().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(isGone(e)).toBe(true);
    expect((e as ApiError).reason).toBe('Expired');
  });

  it('rejects garbage and unknown types with WatchDecodeError', async () => {
    await expect(collect(decodeWatch(chunks('not json\n')))).rejects.toBeInstanceOf(WatchDecodeError);
    await expect(collect(decodeWatch(chunks('{"type":"WHAT","object":{}}\n')))).rejects.toMatchObject({ code: 'ERR_WATCH_DECODE' });
  });

  it('ends quietly once the signal aborts', async () => {
    const ac = new AbortController();
    async function* endless(): AsyncGenerator<string> {
      for (let i = 0; ; i++) yield `${ev('ADDED', `p${i}`)}\n`;
    }
    const seen: string[] = [];
    for await (const e of decodeWatch(endless(), ac.signal)) {
      seen.push(e.object.metadata?.name ?? '');
      if (seen.length === 3) ac.abort();
    }
    expect(seen).toEqual(['p0', 'p1', 'p2']);
  });
});
