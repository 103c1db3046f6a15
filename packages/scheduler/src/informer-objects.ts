import type { Node, Pod } from '@tinykube/api';

/**
 * Informer objects were validated by the apiserver, so the scheduler only checks the shape it
 * relies on (an object with metadata.name, a Pod's spec) rather than running a full zod parse per
 * event, and reads them through @tinykube/api's types. The objects are shared with the informer's
 * store: nothing here or downstream mutates them.
 */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasName(obj: Record<string, unknown>): boolean {
  return isRecord(obj.metadata) && typeof obj.metadata.name === 'string';
}

/** The informer object as a Pod; undefined when it is not shaped like one. */
export function parsePod(obj: unknown): Pod | undefined {
  return isRecord(obj) && hasName(obj) && isRecord(obj.spec) ? (obj as Pod) : undefined;
}

/** The informer object as a Node; undefined when it is not shaped like one. */
export function parseNode(obj: unknown): Node | undefined {
  if (!isRecord(obj) || !hasName(obj)) return undefined;
  return obj.spec === undefined || obj.spec === null || isRecord(obj.spec) ? (obj as Node) : undefined;
}
