import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { ListOptions, QueryValue } from './rest-url.js';

// The option types of RestClient and its verbs.

export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  servername?: string;
}

export interface RestClientOptions {
  /** https://host:port or http://host:port (no trailing path). */
  server: string;
  tls?: TlsOptions;
  token?: string;
  /** Re-read at most once a minute, so rotated tokens are picked up. */
  tokenFile?: string;
  username?: string;
  password?: string;
  /** e.g. "tinykube-scheduler/0.1". */
  userAgent?: string;
  /** Whole-request timeout for non-streaming requests (default 30 s). */
  timeoutMs?: number;
  /** How many times a 429/503 is retried (default 3). */
  maxRetries?: number;
  /** Upper bound on one Retry-After wait (default 10 s). */
  maxRetryDelayMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Bring your own undici dispatcher; otherwise a keep-alive Agent with the TLS options is made. */
  dispatcher?: Dispatcher;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** The Content-Type the apiserver expects for each patch type. */
export const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ObjectOptions {
  namespace?: string;
  subresource?: string;
  signal?: AbortSignal;
}
export interface GetOptions extends ObjectOptions {
  resourceVersion?: string;
}
export interface WriteOptions extends ObjectOptions {
  /** The object name for subresource creates (binding, eviction); defaults to metadata.name. */
  name?: string;
  dryRun?: boolean;
  fieldManager?: string;
}
export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}
export interface DeleteOptions extends ObjectOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}
export interface DeleteCollectionOptions extends Omit<ListOptions, 'limit' | 'continue'> {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
}
export interface LogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  signal?: AbortSignal;
}
