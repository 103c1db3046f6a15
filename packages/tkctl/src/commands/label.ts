import type { KubeObject } from '@tinykube/api';
import { usageError } from '../errors.js';
import { fetchObjects } from '../fetch.js';
import { kindPrefix, namespaceFor, parseTargets } from '../resources.js';
import type { Session } from '../session.js';

export interface LabelOptions {
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
  list?: boolean;
}

type Which = 'labels' | 'annotations';

/** Splits `TYPE NAME k=v k2-` arguments into targets and changes: `key=value` sets, `key-` removes. */
export function parseChanges(args: string[]): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const resources: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq > 0) set[a.slice(0, eq)] = a.slice(eq + 1);
    else if (a.endsWith('-') && a.length > 1 && resources.length > 0) remove.push(a.slice(0, -1));
    else resources.push(a);
  }
  for (const k of remove) if (k in set) throw usageError(`can not both modify and remove the following ${k} in the same command`);
  return { resources, set, remove };
}

/**
 * `tkctl label|annotate TYPE NAME... k=v k2- [--overwrite]`: a merge patch on metadata.labels or
 * metadata.annotations. Changing an existing value needs --overwrite, as in kubectl.
 */
export async function labelCommand(s: Session, which: Which, args: string[], o: LabelOptions): Promise<void> {
  const { resources, set, remove } = parseChanges(args);
  const verb = which === 'labels' ? 'labeled' : 'annotated';
  if (Object.keys(set).length === 0 && remove.length === 0 && !o.list) throw usageError(`at least one ${which === 'labels' ? 'label' : 'annotation'} update is required`);
  for (const t of parseTargets(resources)) {
    const namespace = namespaceFor(t.info, s.namespace);
    let objs: KubeObject[];
    if (t.names.length > 0) {
      objs = [];
      for (const name of t.names) objs.push(...(await fetchObjects(s, t.info, { namespace }, name)).items);
    } else if (o.selector || o.all) {
      objs = (await fetchObjects(s, t.info, { namespace, labelSelector: o.selector })).items;
    } else {
      throw usageError('resource(s) were provided, but no name was specified');
    }
    for (const obj of objs) {
      const current = (which === 'labels' ? obj.metadata.labels : obj.metadata.annotations) ?? {};
      const name = obj.metadata.name ?? '';
      if (o.list) {
        for (const k of Object.keys(current).sort()) s.io.stdout.write(`${k}=${current[k]}\n`);
        continue;
      }
      for (const [k, v] of Object.entries(set)) {
        if (k in current && current[k] !== v && !o.overwrite) {
          throw usageError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
        }
      }
      const change: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(set)) if (current[k] !== v) change[k] = v;
      for (const k of remove) if (k in current) change[k] = null;
      if (Object.keys(change).length === 0) {
        s.io.stdout.write(`${kindPrefix(t.info)}/${name} not ${verb}\n`);
        continue;
      }
      // resourceVersion makes the patch fail (409) if someone changed the object meanwhile.
      const patch = { metadata: { [which]: change, resourceVersion: obj.metadata.resourceVersion } };
      await s.client.patch(t.info, name, patch, 'merge', { namespace: obj.metadata.namespace ?? namespace });
      s.io.stdout.write(`${kindPrefix(t.info)}/${name} ${verb}\n`);
    }
  }
}
