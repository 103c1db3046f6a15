import type { KubeObject } from '@tinykube/api';
import { isNotFound } from '@tinykube/client';
import { formatError, ReportedError } from '../errors.js';
import { describeObject } from '../describe/index.js';
import { fetchObjects } from '../fetch.js';
import { namespaceFor, parseTargets } from '../resources.js';
import type { Session } from '../session.js';
import { noResourcesMessage } from './get.js';

export interface DescribeOptions {
  selector?: string;
  allNamespaces?: boolean;
  showEvents?: boolean;
}

/**
 * `tkctl describe TYPE [NAME_PREFIX...] | TYPE/NAME`: a readable view of each object and its
 * events. As in kubectl, a name that matches no object exactly describes every object whose
 * name starts with it.
 */
export async function describeCommand(s: Session, args: string[], o: DescribeOptions): Promise<void> {
  const targets = parseTargets(args);
  const texts: string[] = [];
  const errors: unknown[] = [];
  for (const t of targets) {
    const namespace = namespaceFor(t.info, s.namespace, o.allNamespaces);
    let objs: KubeObject[] = [];
    if (t.names.length === 0) {
      objs = (await fetchObjects(s, t.info, { namespace, labelSelector: o.selector })).items;
    } else {
      for (const name of t.names) {
        try {
          objs.push(...(await fetchObjects(s, t.info, { namespace }, name)).items);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          const prefixed = (await fetchObjects(s, t.info, { namespace })).items.filter((x) => x.metadata.name?.startsWith(name));
          if (prefixed.length === 0) errors.push(err);
          objs.push(...prefixed);
        }
      }
    }
    for (const obj of objs) texts.push(await describeObject(s, t.info, obj, o.showEvents !== false));
  }
  s.io.stdout.write(texts.join('\n\n'));
  if (texts.length === 0 && errors.length === 0) s.io.stderr.write(noResourcesMessage(s, targets, o.allNamespaces) + '\n');
  if (errors.length > 0) {
    for (const e of errors) s.io.stderr.write(formatError(e, s.config.server) + '\n');
    throw new ReportedError();
  }
}
