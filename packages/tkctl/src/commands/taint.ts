import type { KubeObject } from '@tinykube/api';
import { usageError } from '../errors.js';
import type { Session } from '../session.js';
import { nodesInfo, selectNodes } from './cordon.js';

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect` (add) or `key:Effect-` / `key-` (remove), as kubectl parses them. */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    const removing = spec.endsWith('-');
    const body = removing ? spec.slice(0, -1) : spec;
    const colon = body.lastIndexOf(':');
    const kv = colon >= 0 ? body.slice(0, colon) : body;
    const effect = colon >= 0 ? body.slice(colon + 1) : undefined;
    const eq = kv.indexOf('=');
    const key = eq >= 0 ? kv.slice(0, eq) : kv;
    const value = eq >= 0 ? kv.slice(eq + 1) : undefined;
    if (!key) throw usageError(`invalid taint spec: ${spec}`);
    if (effect !== undefined && !EFFECTS.includes(effect)) {
      throw usageError(`invalid taint effect: ${effect}, unsupported taint effect`);
    }
    if (!removing && effect === undefined) throw usageError(`invalid taint spec: ${spec}, the effect is required`);
    (removing ? remove : add).push(value === undefined || removing ? { key, effect } : { key, value, effect });
  }
  return { add, remove };
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && (a.effect === undefined || b.effect === undefined || a.effect === b.effect);
}

/** The node's new taint list, or an error message kubectl would print. */
export function applyTaints(current: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): Taint[] {
  let next = [...current];
  for (const r of remove) {
    const before = next.length;
    next = next.filter((t) => !sameTaint(t, r));
    if (next.length === before) throw usageError(`taint ${JSON.stringify(r.effect ? `${r.key}:${r.effect}` : r.key)} not found`);
  }
  for (const a of add) {
    const i = next.findIndex((t) => t.key === a.key && t.effect === a.effect);
    if (i >= 0) {
      if (!overwrite) throw usageError(`node already has ${a.key} taint(s) with same effect(s) and --overwrite is false`);
      next[i] = a;
    } else next.push(a);
  }
  return next;
}

/** `tkctl taint nodes NODE key=val:Effect ... [--overwrite]`: replaces spec.taints (a list without a merge key). */
export async function taintCommand(s: Session, args: string[], o: { overwrite?: boolean; selector?: string }): Promise<void> {
  const [type, ...rest] = args;
  if (!type || !['node', 'nodes', 'no'].includes(type.split('/')[0])) throw usageError('taint only applies to nodes: tkctl taint nodes NODE KEY[=VALUE]:EFFECT');
  const names = type.includes('/') ? [type] : rest.filter((a) => !a.includes(':') && !a.includes('=') && !a.endsWith('-'));
  const specs = rest.filter((a) => !names.includes(a));
  if (specs.length === 0) throw usageError('at least one taint update is required');
  const { add, remove } = parseTaints(specs);
  for (const node of await selectNodes(s, names, o.selector)) {
    const current = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[];
    const now = s.io.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stamped = add.map((t) => (t.effect === 'NoExecute' ? { ...t, timeAdded: now } : t));
    const next = applyTaints(current, stamped, remove, o.overwrite === true);
    await s.client.patch(nodesInfo(), node.metadata.name ?? '', { spec: { taints: next } }, 'strategic');
    const verb = add.length > 0 && remove.length === 0 ? 'tainted' : remove.length > 0 && add.length === 0 ? 'untainted' : 'modified';
    s.io.stdout.write(`node/${(node as KubeObject).metadata.name} ${verb}\n`);
  }
}
