import type { Node } from '@tinykube/api';
import { z } from 'zod';
import { ip, NOT_THERE, type CommandRunner } from '@tinykube/hostnet';

// Routes to the other nodes' pods, flannel host-gw style: every node's podCIDR via that node's InternalIP.
// The nodes share one L2 segment (a compose network, the netns bridge), so the InternalIP is a direct
// next hop and no encapsulation is needed. Routes are tagged with their own protocol number so the kubelet
// can list exactly the ones it owns and remove those of nodes that are gone.

/** rtnetlink protocol of the kubelet's routes (unassigned in /etc/iproute2/rt_protos). */
export const ROUTE_PROTO = '77';

export interface PodRoute {
  /** A node's podCIDR. */
  dst: string;
  /** That node's InternalIP. */
  via: string;
}

const RouteShowSchema = z.array(z.looseObject({ dst: z.string(), gateway: z.string().optional() }));

/** Pure: the routes this node wants, from the Node list (itself excluded; nodes without podCIDR or IP skipped). */
export function desiredRoutes(nodes: Node[], self: string): PodRoute[] {
  const out: PodRoute[] = [];
  for (const n of nodes) {
    if (n.metadata?.name === self) continue;
    const dst = n.spec?.podCIDR;
    const via = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (dst && via) out.push({ dst, via });
  }
  return out.sort((a, b) => a.dst.localeCompare(b.dst));
}

export async function currentRoutes(run: CommandRunner): Promise<PodRoute[]> {
  const out = await ip(run, ['-j', 'route', 'show', 'proto', ROUTE_PROTO]);
  return RouteShowSchema.parse(JSON.parse(out || '[]')).map((r) => ({ dst: r.dst, via: r.gateway ?? '' }));
}

export interface RouteSyncResult {
  added: PodRoute[];
  removed: PodRoute[];
  failed: { route: PodRoute; err: Error }[];
}

/**
 * Level-based: reads the owned routes, replaces the wrong or missing ones and deletes the rest. A route that
 * cannot be installed (e.g. a next hop off this segment) is reported and the others still go in.
 */
export async function syncRoutes(run: CommandRunner, want: PodRoute[]): Promise<RouteSyncResult> {
  const have = await currentRoutes(run);
  const res: RouteSyncResult = { added: [], removed: [], failed: [] };
  for (const r of want) {
    if (have.some((h) => h.dst === r.dst && h.via === r.via)) continue;
    try {
      await ip(run, ['route', 'replace', r.dst, 'via', r.via, 'proto', ROUTE_PROTO]);
      res.added.push(r);
    } catch (err) {
      res.failed.push({ route: r, err: err as Error });
    }
  }
  for (const h of have) {
    if (want.some((r) => r.dst === h.dst)) continue;
    await ip(run, ['route', 'del', h.dst, 'proto', ROUTE_PROTO], NOT_THERE);
    res.removed.push(h);
  }
  return res;
}
