// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge recursively,
// null deletes a key, anything else (arrays included) replaces the target value.

import { cloneJson, isJsonObject, setOwn, type JsonObject } from './json-value.js';

/** Applies `patch` to `target`, returning a new value; neither input is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
    }
  }
  return result;
}
