import type { Logger } from 'pino';
import { Backoff, type BackoffOptions } from './backoff.js';
import { sleep, type Clock } from './clock.js';
import { isGone } from '@tinykube/api';
import type { RestClient } from './rest.js';
import type { Selector } from './rest-url.js';
import type { ObjectLike, ObjectList, ResourceRef, WatchEvent } from './types.js';

/** How a reflector lists and watches; swap in a fake to unit-test informer consumers without HTTP. */
export interface ListerWatcher<T extends ObjectLike> {
  list(signal: AbortSignal): Promise<ObjectList<T>>;
  /** Changes after `resourceVersion`. Ends normally on server timeout; throws ApiError 410 when too old. */
  watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

export interface ListWatchOptions {
  namespace?: string;
  labelSelector?: Selector;
  fieldSelector?: Selector;
  /** Page size of the initial list (default 500). */
  pageSize?: number;
  /** Server-side watch timeout; default a random 5–10 minutes so clients do not reconnect in step. */
  timeoutSeconds?: number;
}

/** A ListerWatcher over the REST client for one resource, with bookmarks on. */
export function listWatch<T extends ObjectLike>(client: RestClient, res: ResourceRef, o: ListWatchOptions = {}): ListerWatcher<T> {
  const { namespace, labelSelector, fieldSelector } = o;
  return {
    list: (signal) => client.listAll<T>(res, { namespace, labelSelector, fieldSelector, limit: o.pageSize ?? 500, signal }),
    watch: (resourceVersion, signal) =>
      client.watch<T>(res, {
        namespace,
        labelSelector,
        fieldSelector,
        resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: o.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
        signal,
      }),
  };
}

/** Where a reflector delivers what it sees. */
export interface ReflectorSink<T extends ObjectLike> {
  /** The full state after a (re)list. */
  replace(items: T[], resourceVersion: string): void;
  /** One watch event; a BOOKMARK only carries a newer resourceVersion. */
  apply(event: WatchEvent<T>): void;
}

export interface ReflectorOptions {
  clock: Clock;
  logger: Logger;
  backoff?: BackoffOptions;
}

/**
 * client-go's Reflector: list, then watch from the list's resourceVersion. A stream that breaks is
 * re-opened from the last version seen (with backoff); 410 Expired means that version is gone, so
 * relist. Runs until `signal` aborts.
 */
export async function runReflector<T extends ObjectLike>(lw: ListerWatcher<T>, sink: ReflectorSink<T>, o: ReflectorOptions, signal: AbortSignal): Promise<void> {
  const backoff = new Backoff(o.backoff);
  let rv = '';
  let needList = true;
  while (!signal.aborted) {
    try {
      if (needList) {
        const list = await lw.list(signal);
        rv = list.metadata.resourceVersion ?? '';
        sink.replace(list.items, rv);
        needList = false;
        o.logger.debug({ resourceVersion: rv, items: list.items.length }, 'listed');
      }
      const started = o.clock.now();
      let events = 0;
      for await (const ev of lw.watch(rv, signal)) {
        if (signal.aborted) break;
        sink.apply(ev);
        rv = ev.object.metadata?.resourceVersion || rv;
        events++;
        backoff.reset();
      }
      // A normal end (server timeout) is re-watched at once, unless the server keeps closing on us.
      if (!signal.aborted && events === 0 && o.clock.now() - started < 1000) await sleep(o.clock, backoff.next(), signal);
    } catch (err) {
      if (signal.aborted) break;
      if (isGone(err)) {
        o.logger.info({ resourceVersion: rv }, 'watch version expired; relisting');
        needList = true;
        continue;
      }
      const delayMs = backoff.next();
      o.logger.warn({ err, resourceVersion: rv, relist: needList, delayMs }, needList ? 'list failed; retrying' : 'watch broke; re-watching');
      try {
        await sleep(o.clock, delayMs, signal);
      } catch {
        break;
      }
    }
  }
}
