// RFC 6902 JSON patch (application/json-patch+json) with RFC 6901 JSON pointers.
// Operations apply in order to a copy of the document; the first failure aborts the whole
// patch with a PatchError and the input is left untouched.

import { cloneJson, isJsonObject, jsonEqual, setOwn, type JsonObject } from './json-value.js';
import { PatchError } from './patch-error.js';

export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'move'; from: string; path: string }
  | { op: 'copy'; from: string; path: string }
  | { op: 'test'; path: string; value: unknown };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Parses an RFC 6901 pointer into unescaped reference tokens ("" → [] is the whole document). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new PatchError('BadOperation', `invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw new PatchError('BadOperation', `invalid JSON pointer ${JSON.stringify(pointer)}: "~" must be followed by 0 or 1`);
      }
      // "~1" first, so that "~01" becomes "~1" and not "/".
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Escapes one reference token for use in a pointer ("a/b" → "a~1b", "m~n" → "m~0n"). */
export function escapeJsonPointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Validates the shape of a JSON patch body; throws PatchError (400 for a non-array body). */
export function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) {
    throw new PatchError('BadPatchDocument', 'a JSON patch must be a JSON array of operations');
  }
  return patch.map((raw, i) => {
    if (!isJsonObject(raw)) throw new PatchError('BadOperation', `operation ${i}: must be a JSON object`);
    const op = raw.op;
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw new PatchError('BadOperation', `operation ${i}: unexpected op ${JSON.stringify(op)}: must be one of add, remove, replace, move, copy, test`);
    }
    if (typeof raw.path !== 'string') throw new PatchError('BadOperation', `operation ${i} (${op}): missing "path"`);
    if ((op === 'move' || op === 'copy') && typeof raw.from !== 'string') {
      throw new PatchError('BadOperation', `operation ${i} (${op}): missing "from"`);
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !Object.hasOwn(raw, 'value')) {
      throw new PatchError('BadOperation', `operation ${i} (${op}): missing "value"`);
    }
    return raw as JsonPatchOperation;
  });
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

type Container = JsonObject | unknown[];

interface Located {
  parent: Container;
  token: string;
}

function describe(i: number, op: string, path: string): string {
  return `operation ${i} (${op} ${JSON.stringify(path)})`;
}

/** Walks to the parent of the pointer's last token; the parent must exist. */
function locate(doc: unknown, tokens: string[], what: string): Located {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    cur = child(cur, token, what);
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) {
    throw new PatchError('PathNotFound', `${what}: the parent of the target is not an object or array`);
  }
  return { parent: cur, token: tokens[tokens.length - 1] };
}

function child(cur: unknown, token: string, what: string): unknown {
  if (Array.isArray(cur)) {
    if (!ARRAY_INDEX.test(token) || Number(token) >= cur.length) {
      throw new PatchError('PathNotFound', `${what}: path not found: no array element ${JSON.stringify(token)}`);
    }
    return cur[Number(token)];
  }
  if (isJsonObject(cur) && Object.hasOwn(cur, token)) return cur[token];
  throw new PatchError('PathNotFound', `${what}: path not found: missing key ${JSON.stringify(token)}`);
}

function getAt(doc: unknown, tokens: string[], what: string): unknown {
  let cur = doc;
  for (const token of tokens) cur = child(cur, token, what);
  return cur;
}

function arrayIndex(arr: unknown[], token: string, what: string, allowEnd: boolean): number {
  if (!ARRAY_INDEX.test(token)) {
    throw new PatchError('BadIndex', `${what}: invalid array index ${JSON.stringify(token)}`);
  }
  const idx = Number(token);
  if (idx > arr.length || (!allowEnd && idx === arr.length)) {
    throw new PatchError('BadIndex', `${what}: array index ${idx} out of bounds (length ${arr.length})`);
  }
  return idx;
}

function addAt(doc: unknown, tokens: string[], value: unknown, what: string): unknown {
  if (tokens.length === 0) return value;
  const { parent, token } = locate(doc, tokens, what);
  if (Array.isArray(parent)) {
    if (token === '-') parent.push(value);
    else parent.splice(arrayIndex(parent, token, what, true), 0, value);
  } else {
    setOwn(parent, token, value);
  }
  return doc;
}

function removeAt(doc: unknown, tokens: string[], what: string): unknown {
  if (tokens.length === 0) throw new PatchError('BadOperation', `${what}: cannot remove the whole document`);
  const { parent, token } = locate(doc, tokens, what);
  if (Array.isArray(parent)) {
    if (!ARRAY_INDEX.test(token) || Number(token) >= parent.length) {
      throw new PatchError('PathNotFound', `${what}: path not found: no array element ${JSON.stringify(token)}`);
    }
    return parent.splice(Number(token), 1)[0];
  }
  if (!Object.hasOwn(parent, token)) {
    throw new PatchError('PathNotFound', `${what}: path not found: missing key ${JSON.stringify(token)}`);
  }
  const old = parent[token];
  delete parent[token];
  return old;
}

function isProperPrefix(prefix: string[], tokens: string[]): boolean {
  return prefix.length < tokens.length && prefix.every((t, i) => t === tokens[i]);
}

/**
 * Applies an RFC 6902 patch to `doc`, returning the new document; `doc` is not modified.
 * Throws PatchError: 400 for a non-array body, 422 for an operation that cannot apply.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  let result = cloneJson(doc);
  ops.forEach((op, i) => {
    const what = describe(i, op.op, op.path);
    const path = parseJsonPointer(op.path);
    switch (op.op) {
      case 'add':
        result = addAt(result, path, cloneJson(op.value), what);
        break;
      case 'remove':
        removeAt(result, path, what);
        break;
      case 'replace':
        if (path.length === 0) {
          result = cloneJson(op.value);
        } else {
          getAt(result, path, what);
          const { parent, token } = locate(result, path, what);
          if (Array.isArray(parent)) parent[Number(token)] = cloneJson(op.value);
          else setOwn(parent, token, cloneJson(op.value));
        }
        break;
      case 'move': {
        const from = parseJsonPointer(op.from);
        if (isProperPrefix(from, path)) {
          throw new PatchError('BadOperation', `${what}: cannot move ${JSON.stringify(op.from)} into one of its own children`);
        }
        if (from.length === path.length && from.every((t, k) => t === path[k])) break;
        getAt(result, from, what);
        const value = from.length === 0 ? result : removeAt(result, from, what);
        result = addAt(result, path, value, what);
        break;
      }
      case 'copy': {
        const value = cloneJson(getAt(result, parseJsonPointer(op.from), what));
        result = addAt(result, path, value, what);
        break;
      }
      case 'test': {
        let actual: unknown;
        try {
          actual = getAt(result, path, what);
        } catch {
          throw new PatchError('TestFailed', `${what}: test failed: the path does not exist`);
        }
        if (!jsonEqual(actual, op.value)) {
          throw new PatchError('TestFailed', `${what}: test failed: value is ${JSON.stringify(actual)}, expected ${JSON.stringify(op.value)}`);
        }
        break;
      }
    }
  });
  return result;
}
