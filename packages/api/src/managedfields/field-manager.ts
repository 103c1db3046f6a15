// Server-side apply and the bookkeeping of every other write, over the managers' field sets
// (kube's structured-merge-diff Updater): an Update takes the fields its write changed from everyone
// else; an Apply owns exactly what it applies, drops what it stopped applying (unless someone else
// owns it), and conflicts on fields another manager owns when it would change their value.

import { FieldSet, pathString, type Path } from './field-set.js';
import { managerId, type Manager } from './managers.js';
import { mergeApplied, removePaths } from './merge.js';
import type { TypeSemantics } from './semantics.js';
import { compareObjects, fieldSetOf } from './walk.js';

export interface Conflict { manager: Manager; path: Path }

export interface WriteIdentity { manager: string; apiVersion: string; subresource?: string; now: string }

export type ApplyResult =
  | { ok: true; object: unknown; managers: Manager[] }
  | { ok: false; conflicts: Conflict[] };

function cloneManagers(ms: readonly Manager[]): Manager[] {
  return ms.map((m) => ({ ...m }));
}

/** Sets `m`'s fields, stamping the time when they changed (or the entry is new). */
function setFields(ms: Manager[], m: Omit<Manager, 'set' | 'time'>, set: FieldSet, now: string): void {
  const prev = ms.find((x) => managerId(x) === managerId(m));
  if (prev) {
    if (!prev.set.equals(set)) prev.time = now;
    prev.set = set;
    prev.apiVersion = m.apiVersion;
  } else {
    ms.push({ ...m, set, time: now });
  }
}

/**
 * The managers after a write of `after` over `before` by the other managers' rules; with `force`
 * false, the changed fields another manager owns come back as conflicts instead.
 */
function takeChanged(before: unknown, after: unknown, ms: Manager[], self: string, force: boolean, s: TypeSemantics)
  : { ok: true; changed: FieldSet; removed: FieldSet } | { ok: false; conflicts: Conflict[] } {
  const cmp = compareObjects(before, after, s);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: Conflict[] = [];
  const others = ms.filter((m) => managerId(m) !== self);
  if (!force) {
    for (const m of others) for (const path of m.set.intersection(changed).paths()) conflicts.push({ manager: m, path });
    if (conflicts.length > 0) return { ok: false, conflicts: sortConflicts(conflicts) };
  }
  for (const m of others) m.set = m.set.difference(changed).difference(cmp.removed);
  return { ok: true, changed, removed: cmp.removed };
}

function sortConflicts(cs: Conflict[]): Conflict[] {
  return cs.sort((a, b) => (a.manager.manager === b.manager.manager
    ? (pathString(a.path) < pathString(b.path) ? -1 : 1)
    : (a.manager.manager < b.manager.manager ? -1 : 1)));
}

/** The managers after an Update-operation write of `after` over `before` (create: `before` undefined). */
export function trackUpdate(before: unknown, after: unknown, managers: readonly Manager[], who: WriteIdentity, s: TypeSemantics): Manager[] {
  const ms = cloneManagers(managers);
  const me = { manager: who.manager, operation: 'Update' as const, apiVersion: who.apiVersion, subresource: who.subresource };
  const res = takeChanged(before ?? {}, after, ms, managerId(me), true, s);
  if (!res.ok) throw new Error('unreachable: a forced update has no conflicts');
  const mine = ms.find((m) => managerId(m) === managerId(me))?.set ?? new FieldSet();
  setFields(ms, me, mine.difference(res.removed).union(res.changed), who.now);
  return ms.filter((m) => !m.set.isEmpty());
}

/** Applies `config` over `live` (undefined: the object does not exist yet) for manager `who`. */
export function applyConfiguration(live: unknown, config: unknown, managers: readonly Manager[], who: WriteIdentity, force: boolean, s: TypeSemantics): ApplyResult {
  const ms = cloneManagers(managers);
  const me = { manager: who.manager, operation: 'Apply' as const, apiVersion: who.apiVersion, subresource: who.subresource };
  const id = managerId(me);
  const last = ms.find((m) => managerId(m) === id)?.set;
  const applied = fieldSetOf(config, s);
  let merged = mergeApplied(live ?? {}, config, s);
  if (last) {
    // fields this manager applied before and no longer applies go, unless another manager owns them
    let others = new FieldSet();
    for (const m of ms) if (managerId(m) !== id) others = others.union(m.set);
    const dropped = last.difference(applied).difference(others);
    merged = removePaths(merged, dropped.paths(), s);
  }
  const res = takeChanged(live ?? {}, merged, ms, id, force, s);
  if (!res.ok) return res;
  setFields(ms, me, applied, who.now);
  return { ok: true, object: merged, managers: ms.filter((m) => !m.set.isEmpty()) };
}

