import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { ComposePlan } from './compose.js';

// The compose network as Linux plumbing: a bridge with the network's gateway address on the host side, and per
// service a network namespace `tk-<service>` joined to it by a veth pair (eth0 inside), the service's address,
// lo up, a default route via the bridge, and /etc/netns/tk-<service>/hosts (bind-mounted over /etc/hosts by
// `ip netns exec`) naming every service, as compose's DNS would.

export const BRIDGE = 'tk-br0';
export const nsName = (service: string) => `tk-${service}`;
/** Host-side veth names must fit IFNAMSIZ (15): numbered, not named after the service. */
const hostVeth = (i: number) => `tk-veth${i}`;
const peerVeth = (i: number) => `tk-peer${i}`;

export class IpError extends Error {
  override readonly name = 'IpError';
  readonly code = 'EIP';
}

// `ip` reports these through netlink errno text; there is no other machine-readable signal.
const GONE = /Cannot find device|No such file or directory|does not exist|Cannot open network namespace/i;

function ip(args: string[], tolerate?: RegExp): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    if (tolerate?.test(stderr)) return '';
    throw new IpError(`ip ${args.join(' ')}: ${stderr.trim() || (err as Error).message}`);
  }
}

export function listNamespaces(): string[] {
  return ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean);
}

export function bridgeExists(): boolean {
  return ip(['link', 'show', BRIDGE], GONE) !== '';
}

/** Pids of every process in a namespace (`ip netns pids`): whatever a node started, however it detached. */
export function namespacePids(ns: string): number[] {
  return ip(['netns', 'pids', ns], GONE).split('\n').filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

export function createNetwork(plan: ComposePlan): void {
  ip(['link', 'add', BRIDGE, 'type', 'bridge']);
  ip(['addr', 'add', `${plan.gateway}/${plan.prefix}`, 'dev', BRIDGE]);
  ip(['link', 'set', BRIDGE, 'up']);
  const hosts = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ...plan.services.map((s) => `${s.ip}\t${s.name}`)].join('\n') + '\n';
  plan.services.forEach((s, i) => {
    const ns = nsName(s.name);
    ip(['netns', 'add', ns]);
    ip(['link', 'add', hostVeth(i), 'type', 'veth', 'peer', 'name', peerVeth(i)]);
    ip(['link', 'set', peerVeth(i), 'netns', ns]);
    ip(['link', 'set', hostVeth(i), 'master', BRIDGE, 'up']);
    ip(['-n', ns, 'link', 'set', peerVeth(i), 'name', 'eth0']);
    ip(['-n', ns, 'addr', 'add', `${s.ip}/${plan.prefix}`, 'dev', 'eth0']);
    ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    ip(['-n', ns, 'route', 'add', 'default', 'via', plan.gateway]);
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/hosts`, hosts);
    writeFileSync(`/etc/netns/${ns}/hostname`, `${s.name}\n`);
  });
}

/** Deletes the namespaces (their veths go with them), the bridge and the /etc/netns entries; idempotent. */
export function deleteNetwork(namespaces: string[], veths: number): void {
  for (const ns of namespaces) {
    ip(['netns', 'del', ns], GONE);
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  // Normally gone with their namespace; left over only if a run died between creating a pair and moving it.
  for (let i = 0; i < veths; i++) ip(['link', 'del', hostVeth(i)], GONE);
  ip(['link', 'del', BRIDGE], GONE);
}
