import type { KubeObject, ResourceInfo } from '@tinykube/api';
import { isNotFound } from '@tinykube/client';
import { placeManifest } from '../apply/target.js';
import { formatError, ReportedError, usageError } from '../errors.js';
import { fetchObjects } from '../fetch.js';
import { readManifests } from '../manifests.js';
import { kindPrefix, namespaceFor, parseTargets } from '../resources.js';
import type { Session } from '../session.js';
import { deadlineFrom, waitUntilGone } from '../wait.js';

export interface DeleteOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  ignoreNotFound?: boolean;
  wait?: boolean;
  timeout?: string;
  gracePeriod?: number;
  now?: boolean;
  force?: boolean;
  cascade?: string;
}

interface Victim {
  info: ResourceInfo;
  name: string;
  namespace?: string;
}

/**
 * `tkctl delete`: by -f, by TYPE NAME.. / TYPE/NAME, or by -l / --all. Each object gets a DELETE
 * with propagationPolicy (Background by default); then, unless --wait=false, tkctl waits until
 * every deleted object is gone. Missing objects are reported and make the exit code 1.
 */
export async function deleteCommand(s: Session, args: string[], o: DeleteOptions): Promise<void> {
  const victims = await collect(s, args, o);
  const errors: unknown[] = [];
  const deleted: (Victim & { uid?: string })[] = [];
  const policy = propagation(o.cascade);
  const gracePeriodSeconds = o.now ? 1 : o.force ? (o.gracePeriod ?? 0) : o.gracePeriod;
  for (const v of victims) {
    try {
      const res = await s.client.delete<KubeObject>(v.info, v.name, { namespace: v.namespace, propagationPolicy: policy, gracePeriodSeconds });
      s.io.stdout.write(`${kindPrefix(v.info)} "${v.name}" deleted\n`);
      const uid = (res as KubeObject).metadata?.uid ?? (res as { details?: { uid?: string } }).details?.uid;
      deleted.push({ ...v, uid });
    } catch (err) {
      if (!(o.ignoreNotFound && isNotFound(err))) errors.push(err);
    }
  }
  if (o.wait !== false && errors.length === 0) {
    const deadline = deadlineFrom(o.timeout);
    for (const v of deleted) await waitUntilGone(s, v.info, v.name, { namespace: v.namespace, uid: v.uid, deadline });
  }
  if (errors.length > 0) {
    for (const e of errors) s.io.stderr.write(formatError(e, s.config.server) + '\n');
    throw new ReportedError();
  }
}

function propagation(cascade: string | undefined): 'Background' | 'Foreground' | 'Orphan' {
  switch (cascade ?? 'background') {
    case 'background': case 'true': return 'Background';
    case 'foreground': return 'Foreground';
    case 'orphan': case 'false': return 'Orphan';
    default: throw usageError(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
  }
}

async function collect(s: Session, args: string[], o: DeleteOptions): Promise<Victim[]> {
  if (o.filename && o.filename.length > 0) {
    if (args.length > 0) throw usageError('resources cannot be specified with -f');
    const manifests = await readManifests(o.filename, s.io, o.recursive);
    return manifests.map((m) => {
      const { obj, namespace } = placeManifest(s, m);
      return { info: m.info, name: obj.metadata.name ?? '', namespace };
    });
  }
  if (args.length === 0) throw usageError('You must provide one or more resources by argument or filename.');
  const targets = parseTargets(args);
  const victims: Victim[] = [];
  let anyBySelector = false;
  for (const t of targets) {
    if (t.names.length > 0) {
      if (o.selector || o.all) throw usageError('name cannot be provided when a selector is specified');
      for (const name of t.names) victims.push({ info: t.info, name, namespace: namespaceFor(t.info, s.namespace) });
      continue;
    }
    if (!o.selector && !o.fieldSelector && !o.all) {
      throw usageError(`resource(s) were provided, but no name was specified`);
    }
    anyBySelector = true;
    const { items } = await fetchObjects(s, t.info, {
      namespace: namespaceFor(t.info, s.namespace, o.allNamespaces),
      labelSelector: o.selector,
      fieldSelector: o.fieldSelector,
    });
    for (const obj of items) victims.push({ info: t.info, name: obj.metadata.name ?? '', namespace: obj.metadata.namespace });
  }
  if (anyBySelector && victims.length === 0) s.io.stderr.write('No resources found\n');
  return victims;
}
