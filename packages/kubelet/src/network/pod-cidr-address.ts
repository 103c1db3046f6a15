import { z } from 'zod';
import { parseCidr, intToIp } from '../ipam.js';
import { EXISTS, ip, NOT_THERE, type CommandRunner } from '@tinykube/hostnet';

// Pod IPs in a node of its own network stack (`--pod-network interface`). The kubelet puts the podCIDR's first
// host address (never handed to a pod) with the CIDR's prefix on `lo`. For an address on a loopback device
// Linux makes the whole prefix local (`local 10.244.1.0/24 dev lo` in the local table), so every pod IP of the
// node can be bound with no per-pod step, and packets from other nodes routed here are delivered. The label
// `lo:tk-pods` marks the kubelet's address so that a changed podCIDR replaces it and nothing else on lo.

export const POD_ADDRESS_LABEL = 'lo:tk-pods';

const AddrShowSchema = z.array(
  z.looseObject({ addr_info: z.array(z.looseObject({ family: z.string(), local: z.string(), prefixlen: z.number(), label: z.string().optional() })).optional() }),
);

/** `10.244.1.0/24` → `10.244.1.1/24`: the address the node keeps for itself. */
export function nodePodAddress(cidr: string): string {
  const c = parseCidr(cidr);
  return `${intToIp(c.base + 1)}/${c.prefix}`;
}

/** The label's addresses now on lo, as `a.b.c.d/nn`. */
export async function currentPodAddresses(run: CommandRunner): Promise<string[]> {
  const out = await ip(run, ['-j', 'addr', 'show', 'dev', 'lo']);
  const parsed = AddrShowSchema.parse(JSON.parse(out || '[]'));
  return parsed.flatMap((l) => l.addr_info ?? []).filter((a) => a.family === 'inet' && a.label === POD_ADDRESS_LABEL).map((a) => `${a.local}/${a.prefixlen}`);
}

/** Makes the podCIDR's address the only one under the label; idempotent. Returns what it changed. */
export async function ensurePodCidrAddress(run: CommandRunner, cidr: string): Promise<{ added: boolean; removed: string[] }> {
  const want = nodePodAddress(cidr);
  await ip(run, ['link', 'set', 'lo', 'up']);
  const have = await currentPodAddresses(run);
  const removed = have.filter((a) => a !== want);
  for (const a of removed) await ip(run, ['addr', 'del', a, 'dev', 'lo'], NOT_THERE);
  if (have.includes(want)) return { added: false, removed };
  await ip(run, ['addr', 'add', want, 'dev', 'lo', 'label', POD_ADDRESS_LABEL], EXISTS);
  return { added: true, removed };
}
