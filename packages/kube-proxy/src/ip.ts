import { EXISTS, execRunner, ip, IpCommandError, NOT_THERE, type CommandRunner } from '@tinykube/hostnet';
import { z } from 'zod';

// Putting ClusterIPs on the node so the proxy can bind them.
// - loopback mode (one machine): ClusterIPs come from 127.0.0.0/8, which Linux already routes to
//   `lo`, so there is nothing to do.
// - dummy mode (a node in its own network namespace, with NET_ADMIN): like IPVS mode's
//   kube-ipvs0, every ClusterIP is added as a /32 to a dummy interface (tk-svc0), so the kernel
//   treats it as local; connections to a ClusterIP without a listener get an RST (ECONNREFUSED).

export { execRunner, IpCommandError, type CommandResult, type CommandRunner } from '@tinykube/hostnet';

/** Where ClusterIPs live on this node. */
export interface ClusterIPHost {
  /** Prepares the node once, before any add(). */
  init(): Promise<void>;
  add(ip: string): Promise<void>;
  remove(ip: string): Promise<void>;
}

/** loopback mode: 127.x addresses are local already. */
export const loopbackHost: ClusterIPHost = {
  init: async () => {},
  add: async () => {},
  remove: async () => {},
};

export const DEFAULT_DUMMY_INTERFACE = 'tk-svc0';

const IpAddrShowSchema = z.array(
  z.looseObject({ addr_info: z.array(z.looseObject({ family: z.string(), local: z.string(), label: z.string().optional() })).optional() }),
);

// Kernels (or sandboxes) without the dummy link type answer one of these to `ip link add … type dummy`.
const NO_DUMMY = /Unknown device type|not supported/i;

/**
 * The dummy interface holding ClusterIPs (dummy mode). Every operation is idempotent.
 * Where the kernel has no dummy link type, the addresses go on `lo` under the label `lo:<name>`
 * instead (equally local); the label is what lets init() flush only ours and never 127.0.0.1.
 */
export class DummyInterface implements ClusterIPHost {
  readonly name: string;
  private readonly run: CommandRunner;
  private dev: string;
  private label: string | undefined;

  constructor(o: { name?: string; run?: CommandRunner } = {}) {
    this.name = o.name ?? DEFAULT_DUMMY_INTERFACE;
    this.run = o.run ?? execRunner;
    this.dev = this.name;
  }

  /** Where the addresses live: the dummy interface, or `lo` (label `lo:<name>`) as the fallback. */
  get device(): { dev: string; label?: string } {
    return this.label ? { dev: this.dev, label: this.label } : { dev: this.dev };
  }

  /**
   * Creates the interface if needed, brings it up and flushes its addresses: a previous proxy's
   * ClusterIPs are re-added by the first sync, and stale ones (services deleted while no proxy ran)
   * must not linger and swallow connections.
   */
  async init(): Promise<void> {
    const r = await this.run('ip', ['link', 'add', this.name, 'type', 'dummy']);
    if (r.code !== 0 && NO_DUMMY.test(r.stderr)) {
      this.dev = 'lo';
      this.label = `lo:${this.name}`.slice(0, 15); // IFNAMSIZ - 1
      await this.ip(['link', 'set', 'lo', 'up']);
      await this.ip(['addr', 'flush', 'dev', 'lo', 'label', this.label]);
      return;
    }
    if (r.code !== 0 && !EXISTS.test(r.stderr)) throw new IpCommandError(['link', 'add', this.name, 'type', 'dummy'], r);
    await this.ip(['link', 'set', this.name, 'up']);
    await this.ip(['addr', 'flush', 'dev', this.name]);
  }

  async add(ip: string): Promise<void> {
    await this.ip(['addr', 'add', `${ip}/32`, 'dev', this.dev, ...(this.label ? ['label', this.label] : [])], EXISTS);
  }

  async remove(ip: string): Promise<void> {
    await this.ip(['addr', 'del', `${ip}/32`, 'dev', this.dev], NOT_THERE);
  }

  /** The IPv4 addresses this proxy put on the node. */
  async list(): Promise<string[]> {
    const args = ['-j', 'addr', 'show', 'dev', this.dev];
    const out = await this.ip(args);
    const parsed = IpAddrShowSchema.safeParse(JSON.parse(out || '[]'));
    if (!parsed.success) throw new IpCommandError(args, { code: 0, stdout: out, stderr: 'unexpected JSON' });
    return parsed.data.flatMap((l) =>
      (l.addr_info ?? []).filter((a) => a.family === 'inet' && (!this.label || a.label === this.label)).map((a) => a.local),
    );
  }

  /** Runs `ip args`; a failure whose message matches `tolerate` counts as success (already done). */
  private ip(args: string[], tolerate?: RegExp): Promise<string> {
    return ip(this.run, args, tolerate);
  }
}

/**
 * Keeps the node's ClusterIPs in step with what the proxier holds. Adds and removes run one at a
 * time, and a removal re-checks `stillWanted` when its turn comes, so a ClusterIP reused by a new
 * service (or still serving draining connections) is never pulled from under it.
 */
export class ClusterIPAddresses {
  private readonly present = new Set<string>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: ClusterIPHost) {}

  has(ip: string): boolean {
    return this.present.has(ip);
  }

  ensure(ip: string): Promise<void> {
    if (this.present.has(ip)) return Promise.resolve();
    return this.serial(async () => {
      if (this.present.has(ip)) return;
      await this.host.add(ip);
      this.present.add(ip);
    });
  }

  release(ip: string, stillWanted: () => boolean): Promise<void> {
    return this.serial(async () => {
      if (!this.present.has(ip) || stillWanted()) return;
      await this.host.remove(ip);
      this.present.delete(ip);
    });
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }
}
