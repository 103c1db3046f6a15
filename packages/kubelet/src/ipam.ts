import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

// Pod IPs from the node's podCIDR. On one machine these are loopback addresses (127.0.0.0/8 all
// routes to lo on Linux), so a process binds its own IP with no setup. Allocations are persisted
// so that a restarted kubelet gives running pods the same IPs and never hands one out twice.

const StateSchema = z.object({ cidr: z.string().optional(), allocations: z.record(z.string(), z.string()) });

export interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address "${ip}"`);
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!ip || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid IPv4 CIDR "${cidr}" (prefix must be 8..30)`);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(ip) / size) * size;
  return { base, prefix, size };
}

/**
 * Allocates pod IPs: the network address and the first host address (the "gateway" by convention)
 * and the broadcast address are never handed out.
 */
export class PodIpam {
  private cidr: Cidr | undefined;
  private cidrText: string | undefined;
  private readonly byUid = new Map<string, string>();
  private next = 0;

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) {
      const s = StateSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
      for (const [uid, ip] of Object.entries(s.allocations)) this.byUid.set(uid, ip);
      if (s.cidr) this.setCidr(s.cidr);
    }
  }

  /** The CIDR in use, if known yet. */
  get podCIDR(): string | undefined {
    return this.cidrText;
  }

  setCidr(cidr: string): void {
    if (cidr === this.cidrText) return;
    this.cidr = parseCidr(cidr);
    this.cidrText = cidr;
    this.next = 0;
    this.save();
  }

  /** The pod's IP (the same one again if it has one); undefined when there is no CIDR or it is full. */
  allocate(uid: string): string | undefined {
    const have = this.byUid.get(uid);
    if (have) return have;
    const c = this.cidr;
    if (!c) return undefined;
    const used = new Set(this.byUid.values());
    const hosts = c.size - 3; // network, .1, broadcast
    for (let i = 0; i < hosts; i++) {
      const off = 2 + ((this.next + i) % hosts);
      const ip = intToIp(c.base + off);
      if (used.has(ip)) continue;
      this.next = (this.next + i + 1) % hosts;
      this.byUid.set(uid, ip);
      this.save();
      return ip;
    }
    return undefined;
  }

  get(uid: string): string | undefined {
    return this.byUid.get(uid);
  }

  release(uid: string): void {
    if (this.byUid.delete(uid)) this.save();
  }

  /** Drops allocations of pods that no longer exist (after a restart). */
  retain(uids: Set<string>): void {
    let changed = false;
    for (const uid of [...this.byUid.keys()]) {
      if (!uids.has(uid)) {
        this.byUid.delete(uid);
        changed = true;
      }
    }
    if (changed) this.save();
  }

  allocations(): Record<string, string> {
    return Object.fromEntries(this.byUid);
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ cidr: this.cidrText, allocations: Object.fromEntries(this.byUid) }));
    renameSync(tmp, this.stateFile);
  }
}
