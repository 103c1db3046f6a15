import { registry, type KubeObject, type ResourceInfo } from '@tinykube/api';
import { formatLines } from '../printers/table.js';
import type { Session } from '../session.js';
import { age, field, str } from './lines.js';

// The "Events:" section of describe: the object's events found by field selector
// (involvedObject name, namespace and uid, as kubectl asks), oldest first.

const eventsInfo = (): ResourceInfo => {
  const info = registry.get('', 'events');
  if (!info) throw new Error('the registry has no events resource');
  return info;
};

export async function eventsFor(s: Session, info: ResourceInfo, obj: KubeObject): Promise<KubeObject[]> {
  const sel = [`involvedObject.name=${obj.metadata.name ?? ''}`];
  if (info.namespaced && obj.metadata.namespace) sel.push(`involvedObject.namespace=${obj.metadata.namespace}`);
  if (obj.metadata.uid) sel.push(`involvedObject.uid=${obj.metadata.uid}`);
  const list = await s.client.listAll<KubeObject>(eventsInfo(), {
    // Events of cluster-scoped objects (nodes) live in "default"; list them across namespaces.
    namespace: info.namespaced ? obj.metadata.namespace : undefined,
    fieldSelector: sel.join(','),
  });
  return [...list.items].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
}

function eventTime(ev: KubeObject): string {
  return str(field(ev, 'lastTimestamp') ?? field(ev, 'eventTime') ?? ev.metadata.creationTimestamp, '');
}

/** The Events section, `Events:  <none>` when there are none. */
export function renderEvents(events: KubeObject[], now: Date): string {
  if (events.length === 0) return 'Events:  <none>\n';
  const rows = events.map((ev) => {
    const count = Number(field(ev, 'count') ?? 1);
    const last = age(field(ev, 'lastTimestamp') ?? field(ev, 'eventTime') ?? ev.metadata.creationTimestamp, now);
    const first = age(field(ev, 'firstTimestamp') ?? field(ev, 'eventTime') ?? ev.metadata.creationTimestamp, now);
    const when = count > 1 ? `${last} (x${count} over ${first})` : last;
    const source = [field(ev, 'source.component') ?? field(ev, 'reportingComponent'), field(ev, 'source.host')]
      .filter((x) => typeof x === 'string' && x !== '')
      .join(', ');
    return [str(field(ev, 'type'), ''), str(field(ev, 'reason'), ''), when, source, str(field(ev, 'message'), '').trim()];
  });
  // kubectl's events table is indented by two and padded by two (not three) spaces.
  const table = formatLines([['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------'], ...rows], 2);
  return 'Events:\n' + table.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n') + '\n';
}
