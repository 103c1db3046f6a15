import type { KubeObject, ResourceInfo } from '@tinykube/api';
import type { Session } from '../session.js';
import { eventsFor, renderEvents } from './events.js';
import { describeGeneric } from './generic.js';
import type { Lines } from './lines.js';
import { describeNode, describeService } from './node-service.js';
import { describePod } from './pod.js';
import { describeWorkload } from './workloads.js';

// Which describer a kind gets; every description ends with the object's events.

function linesFor(info: ResourceInfo, obj: KubeObject): Lines {
  switch (`${info.group}/${info.kind}`) {
    case '/Pod': return describePod(obj);
    case '/Node': return describeNode(obj);
    case '/Service': return describeService(obj);
    case 'apps/Deployment': case 'apps/ReplicaSet': case 'apps/DaemonSet': return describeWorkload(obj);
    default: return describeGeneric(info, obj);
  }
}

/** The full text of `describe` for one object, events included (unless showEvents is false). */
export async function describeObject(s: Session, info: ResourceInfo, obj: KubeObject, showEvents = true): Promise<string> {
  let text = linesFor(info, obj).render();
  // Events are not described by events themselves.
  if (showEvents && info.kind !== 'Event') text += renderEvents(await eventsFor(s, info, obj), s.io.now());
  return text;
}
