/** A tiny fetch-based client for the integration test (kept apart from the code under test). */
export interface Reply<T = any> { status: number; body: T }

export class Api {
  constructor(readonly url: string) {}

  async req<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = contentType;
    }
    const res = await fetch(this.url + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T };
  }

  async must<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.req<T>(method, path, body, contentType);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  list<T = any>(path: string): Promise<T[]> {
    return this.must<{ items: T[] }>('GET', path).then((l) => l.items ?? []);
  }
}

export const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
