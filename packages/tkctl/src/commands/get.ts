import { toTable, type KubeObject, type ResourceInfo, type Table } from '@tinykube/api';
import { isNotFound } from '@tinykube/client';
import { formatError, ReportedError, usageError } from '../errors.js';
import { fetchObjects, fetchTable, withKind, type Query } from '../fetch.js';
import { parseOutput, printObjects, type OutputFormat } from '../printers/output.js';
import { printTable, StreamingTable, type TableOptions } from '../printers/table.js';
import { toJson, toYaml } from '../printers/structured.js';
import { executeJsonPath, parseJsonPath } from '../printers/jsonpath.js';
import { kindPrefix, namespaceFor, parseTargets, type Target } from '../resources.js';
import type { Session } from '../session.js';
import { objectName } from '../printers/output.js';

export interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  noHeaders?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  ignoreNotFound?: boolean;
  showManagedFields?: boolean;
}

/** -o yaml/json leave metadata.managedFields out unless --show-managed-fields (as kubectl). */
function forPrinting(obj: KubeObject, fmt: OutputFormat, o: GetOptions): KubeObject {
  if (o.showManagedFields || (fmt.kind !== 'yaml' && fmt.kind !== 'json') || !obj.metadata?.managedFields) return obj;
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** `tkctl get TYPE[,TYPE] [NAME...] | TYPE/NAME...` */
export async function getCommand(s: Session, args: string[], o: GetOptions): Promise<void> {
  const fmt = parseOutput(o.output);
  const targets = parseTargets(args);
  if (o.watch || o.watchOnly) return watchCommand(s, targets, fmt, o);
  const errors: unknown[] = [];
  let printedAny = false;
  if (fmt.kind === 'table') {
    const several = targets.length > 1;
    for (const t of targets) {
      const table = await tableFor(s, t, o, errors);
      if (table.rows.length === 0) continue;
      if (printedAny) s.io.stdout.write('\n');
      s.io.stdout.write(printTable(table, tableOptions(s, t.info, fmt.wide, o, several)));
      printedAny = true;
    }
  } else {
    const objs: KubeObject[] = [];
    for (const t of targets) objs.push(...(await objectsFor(s, t, o, errors)));
    const single = targets.length === 1 && targets[0].names.length === 1;
    // A list prints even when empty (an empty List); a failed single get prints nothing.
    if (objs.length > 0 || (!single && fmt.kind !== 'name')) s.io.stdout.write(printObjects(objs.map((x) => forPrinting(x, fmt, o)), single, fmt));
    printedAny = objs.length > 0;
  }
  const askedByName = targets.every((t) => t.names.length > 0);
  if (!printedAny && errors.length === 0 && !askedByName && fmt.kind === 'table') {
    s.io.stderr.write(noResourcesMessage(s, targets, o.allNamespaces) + '\n');
  }
  if (errors.length > 0) {
    for (const e of errors) s.io.stderr.write(formatError(e, s.config.server) + '\n');
    throw new ReportedError();
  }
}

export function noResourcesMessage(s: Session, targets: Target[], allNamespaces?: boolean): string {
  const namespaced = targets.some((t) => t.info.namespaced);
  return namespaced && !allNamespaces ? `No resources found in ${s.namespace} namespace.` : 'No resources found';
}

function query(s: Session, info: ResourceInfo, o: GetOptions): Query {
  return {
    namespace: namespaceFor(info, s.namespace, o.allNamespaces),
    labelSelector: o.selector,
    fieldSelector: o.fieldSelector,
  };
}

export function tableOptions(s: Session, info: ResourceInfo, wide: boolean, o: GetOptions, several: boolean): TableOptions {
  return {
    wide,
    withNamespace: Boolean(o.allNamespaces) && info.namespaced,
    showLabels: o.showLabels,
    labelColumns: o.labelColumns,
    noHeaders: o.noHeaders,
    kindPrefix: several ? kindPrefix(info) : undefined,
  };
}

async function tableFor(s: Session, t: Target, o: GetOptions, errors: unknown[]): Promise<Table> {
  const q = query(s, t.info, o);
  if (t.names.length === 0) return fetchTable(s, t.info, q);
  let merged: Table | undefined;
  for (const name of t.names) {
    try {
      const one = await fetchTable(s, t.info, q, name);
      merged = merged ? { ...merged, rows: [...merged.rows, ...one.rows] } : one;
    } catch (err) {
      if (!(o.ignoreNotFound && isNotFound(err))) errors.push(err);
    }
  }
  return merged ?? toTable(t.info, [], s.io.now());
}

async function objectsFor(s: Session, t: Target, o: GetOptions, errors: unknown[]): Promise<KubeObject[]> {
  const q = query(s, t.info, o);
  if (t.names.length === 0) return (await fetchObjects(s, t.info, q)).items;
  const out: KubeObject[] = [];
  for (const name of t.names) {
    try {
      out.push(...(await fetchObjects(s, t.info, q, name)).items);
    } catch (err) {
      if (!(o.ignoreNotFound && isNotFound(err))) errors.push(err);
    }
  }
  return out;
}

/**
 * `get -w`: the current state (unless --watch-only), then one line (or document) per event until
 * the server ends the stream or Ctrl-C. Rows of events are rendered here from the same registry
 * columns the server uses.
 */
async function watchCommand(s: Session, targets: Target[], fmt: OutputFormat, o: GetOptions): Promise<void> {
  if (targets.length !== 1 || targets[0].names.length > 1) {
    throw usageError(`watch is only supported on individual resources and resource collections, but ${targets.length} resources were found`);
  }
  const t = targets[0];
  const name = t.names[0];
  const q = query(s, t.info, o);
  const fieldSelector = name ? [`metadata.name=${name}`, o.fieldSelector].filter(Boolean).join(',') : o.fieldSelector;
  const listQuery = { ...q, fieldSelector };
  const stream = new StreamingTable(tableOptions(s, t.info, fmt.kind === 'table' && fmt.wide, o, false));
  const print = (objs: KubeObject[], event?: string) => {
    if (objs.length === 0) return;
    if (fmt.kind === 'table') {
      const table = toTable(t.info, objs, s.io.now());
      if (o.outputWatchEvents) {
        table.columnDefinitions = [{ name: 'Event', type: 'string', format: '', description: '', priority: 0 }, ...table.columnDefinitions];
        table.rows = table.rows.map((r) => ({ ...r, cells: [event ?? 'ADDED', ...r.cells] }));
      }
      s.io.stdout.write(stream.print(table));
    } else {
      for (const obj of objs) s.io.stdout.write(printWatched(forPrinting(obj, fmt, o), fmt));
    }
  };
  const initial = await fetchObjects(s, t.info, listQuery);
  if (!o.watchOnly) {
    if (initial.items.length === 0 && fmt.kind === 'table') s.io.stderr.write(noResourcesMessage(s, targets, o.allNamespaces) + '\n');
    print(initial.items);
  }
  for await (const ev of s.client.watch<KubeObject>(t.info, {
    namespace: q.namespace,
    resourceVersion: initial.resourceVersion,
    labelSelector: o.selector,
    fieldSelector,
    signal: s.io.signal,
  })) {
    if (ev.type === 'BOOKMARK') continue;
    print([withKind(t.info, ev.object)], ev.type);
  }
}

function printWatched(obj: KubeObject, fmt: Exclude<OutputFormat, { kind: 'table' }>): string {
  switch (fmt.kind) {
    case 'yaml': return `---\n${toYaml(obj)}`;
    case 'json': return toJson(obj);
    case 'name': return objectName(obj) + '\n';
    case 'jsonpath': return executeJsonPath(parseJsonPath(fmt.template), obj);
  }
}

