/** IPv4 CIDR arithmetic for pod CIDR allocation. */

export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, len] = cidr.split('/');
  const base = parseIPv4(ip ?? '');
  const bits = Number(len);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  return { base: base - (base % size), bits };
}

/**
 * Carves `clusterCidr` into /maskSize blocks and hands out the lowest free one (kube's range
 * allocator does the same with a bitmap; ours recomputes from the nodes each time).
 */
export class CidrSet {
  private readonly base: number;
  private readonly count: number;
  private readonly blockSize: number;

  constructor(clusterCidr: string, readonly maskSize: number) {
    const c = parseCidr(clusterCidr);
    if (!c) throw new Error(`invalid cluster CIDR ${clusterCidr}`);
    if (maskSize < c.bits || maskSize > 32) throw new Error(`node CIDR mask size ${maskSize} does not fit in ${clusterCidr}`);
    this.base = c.base;
    this.blockSize = 2 ** (32 - maskSize);
    this.count = 2 ** (maskSize - c.bits);
  }

  /** The lowest block not in `used` (CIDR strings), or undefined when the range is full. */
  next(used: ReadonlySet<string>): string | undefined {
    for (let i = 0; i < this.count; i++) {
      const cidr = `${formatIPv4(this.base + i * this.blockSize)}/${this.maskSize}`;
      if (!used.has(cidr)) return cidr;
    }
    return undefined;
  }
}
