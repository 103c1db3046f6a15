// What each conformance case gets: the server under test and a normaliser reset at the start of the case.
import { Normalizer } from './normalize.js';
import { post, type Json, type JsonObject } from './wire.js';

export interface CaseContext {
  /** 'etcd' or 'tinykube-store'. */
  readonly backend: string;
  url(): string;
  readonly n: Normalizer;
  /** POST and normalise: {status, body} ready for toEqual against H()/KV() builders. */
  call(path: string, body: JsonObject | string): Promise<{ status: number; body: Json | undefined }>;
}

export function makeContext(backend: string, url: () => string): CaseContext {
  const n = new Normalizer();
  return {
    backend,
    url,
    n,
    async call(path, body) {
      const r = await post(url(), path, body);
      return { status: r.status, body: n.norm(r.body) };
    },
  };
}
