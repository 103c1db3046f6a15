import type { KubeObject } from '@tinykube/api';
import { usageError } from '../errors.js';
import { kindPrefix } from '../resources.js';
import { registry } from '@tinykube/api';
import { executeJsonPath, parseJsonPath } from './jsonpath.js';
import { asList, toJson, toYaml } from './structured.js';

// -o: which printer, and printing whole objects with the non-table printers.

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string };

export function parseOutput(o: string | undefined): OutputFormat {
  if (o === undefined || o === '') return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const jp = /^jsonpath(?:-as-json)?=(.*)$/s.exec(o);
  if (jp) {
    parseJsonPath(jp[1]); // reject a bad template before any request is made
    return { kind: 'jsonpath', template: jp[1] };
  }
  throw usageError(
    `unable to match a printer suitable for the output format "${o}", allowed formats are: json,jsonpath,name,wide,yaml`,
  );
}

/** `pod/web`, `deployment.apps/web` for an object (by its apiVersion and kind). */
export function objectName(obj: KubeObject): string {
  const info = registry.byKind(obj.apiVersion, obj.kind);
  const prefix = info ? kindPrefix(info) : obj.kind.toLowerCase();
  return `${prefix}/${obj.metadata.name ?? ''}`;
}

/**
 * Prints objects with a non-table format. `single` is true when one named object was asked for:
 * it is then printed bare, otherwise wrapped in a List (as kubectl does).
 */
export function printObjects(objs: KubeObject[], single: boolean, fmt: Exclude<OutputFormat, { kind: 'table' }>): string {
  const data = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (fmt.kind) {
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'name':
      return objs.map((o) => objectName(o) + '\n').join('');
    case 'jsonpath':
      return executeJsonPath(parseJsonPath(fmt.template), data);
  }
}
