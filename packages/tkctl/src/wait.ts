import { GoDurationError, parseGoDurationOrError, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { isGone, isNotFound } from '@tinykube/client';
import { CliError } from './errors.js';
import type { Session } from './session.js';

// Waiting for an object to go away (delete --wait, drain): read it, and if it is still there
// watch it by name until a DELETED event, re-reading whenever the watch ends. A replacement
// with the same name but another uid counts as gone.

/** Resolves when the object is gone; throws CliError TIMEOUT at the deadline (ms since epoch). */
export async function waitUntilGone(
  s: Session, info: ResourceInfo, name: string, o: { namespace?: string; uid?: string; deadline?: number },
): Promise<void> {
  for (;;) {
    if (s.io.signal.aborted) throw new CliError('INTERRUPTED', 'interrupted');
    let live: KubeObject;
    try {
      live = await s.client.get<KubeObject>(info, name, { namespace: o.namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (o.uid && live.metadata.uid !== o.uid) return;
    const left = o.deadline === undefined ? 300_000 : o.deadline - Date.now();
    if (left <= 0) throw new CliError('TIMEOUT', `timed out waiting for the condition on ${info.plural}/${name}`);
    const stop = AbortSignal.any([s.io.signal, AbortSignal.timeout(left)]);
    try {
      for await (const ev of s.client.watch<KubeObject>(info, {
        namespace: o.namespace,
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: live.metadata.resourceVersion,
        timeoutSeconds: Math.max(1, Math.ceil(left / 1000)),
        signal: stop,
      })) {
        if (ev.type === 'DELETED' && (!o.uid || ev.object.metadata.uid === o.uid)) return;
      }
    } catch (err) {
      if (!isGone(err)) throw err; // 410: our version is too old; re-read and watch again
    }
  }
}

/** kubectl's --timeout (a Go duration: "30s", "5m", "1h"; zero = no limit) as a deadline. */
export function deadlineFrom(timeout: string | undefined, now = Date.now()): number | undefined {
  if (timeout === undefined) return undefined;
  const ms = parseGoDurationOrError(timeout);
  if (ms instanceof GoDurationError) throw new CliError('USAGE', `invalid argument ${JSON.stringify(timeout)} for "--timeout" flag: ${ms.message}`);
  return ms > 0 ? now + ms : undefined;
}
