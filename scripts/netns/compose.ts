import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

// docker-compose.yml read as a plan for network namespaces: which services, their addresses, environment,
// volumes and the command their container would run (the service's entrypoint, else the Dockerfile's).

const EnvSchema = z.union([
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.array(z.string()),
]);
const CommandSchema = z.union([z.string(), z.array(z.string())]);
const ServiceSchema = z.looseObject({
  environment: EnvSchema.optional(),
  entrypoint: CommandSchema.optional(),
  command: CommandSchema.optional(),
  volumes: z.array(z.union([z.string(), z.looseObject({ source: z.string().optional(), target: z.string(), type: z.string().optional() })])).optional(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.looseObject({ ipv4_address: z.string().optional() }).nullable())]).optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
});
const ComposeSchema = z.looseObject({
  services: z.record(z.string(), ServiceSchema),
  networks: z.record(z.string(), z.looseObject({
    ipam: z.looseObject({ config: z.array(z.looseObject({ subnet: z.string(), gateway: z.string().optional() })).optional() }).optional(),
  }).nullable()).optional(),
});

export interface ServicePlan {
  name: string;
  ip: string;
  env: Record<string, string>;
  /** argv of the container's main process (entrypoint + command). */
  argv: string[];
  /** Bind mounts: container path → host source as written in the file. */
  binds: { source: string; target: string }[];
  dependsOn: string[];
}

export interface ComposePlan {
  network: string;
  subnet: string;
  gateway: string;
  prefix: number;
  /** In dependency order (a service after those it depends on). */
  services: ServicePlan[];
}

export class ComposeError extends Error {
  override readonly name = 'ComposeError';
  readonly code = 'ECOMPOSE';
}

const asArgv = (c: string | string[]): string[] => (Array.isArray(c) ? c : ['/bin/sh', '-c', c]);

/** The exec-form ENTRYPOINT of a Dockerfile (the last one), as docker would run it. */
export function dockerfileEntrypoint(text: string): string[] | undefined {
  const lines = text.split('\n').filter((l) => /^\s*ENTRYPOINT\s+\[/i.test(l));
  const last = lines.at(-1);
  if (!last) return undefined;
  return z.array(z.string()).parse(JSON.parse(last.replace(/^\s*ENTRYPOINT\s+/i, '')));
}

function envMap(e: z.infer<typeof EnvSchema> | undefined): Record<string, string> {
  if (!e) return {};
  if (Array.isArray(e)) return Object.fromEntries(e.map((kv) => { const i = kv.indexOf('='); return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)]; }));
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function binds(vs: z.infer<typeof ServiceSchema>['volumes']): ServicePlan['binds'] {
  const out: ServicePlan['binds'] = [];
  for (const v of vs ?? []) {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      if (source && target && (source.startsWith('.') || source.startsWith('/'))) out.push({ source, target });
    } else if (v.type === 'bind' && v.source) out.push({ source: v.source, target: v.target });
  }
  return out;
}

/** Orders services so each comes after what it depends on (compose's start order). */
function dependencyOrder(services: ServicePlan[]): ServicePlan[] {
  const done = new Set<string>();
  const out: ServicePlan[] = [];
  const visit = (s: ServicePlan, path: string[]) => {
    if (done.has(s.name)) return;
    if (path.includes(s.name)) throw new ComposeError(`depends_on cycle: ${[...path, s.name].join(' → ')}`);
    for (const d of s.dependsOn) {
      const dep = services.find((x) => x.name === d);
      if (!dep) throw new ComposeError(`service ${s.name} depends on unknown service ${d}`);
      visit(dep, [...path, s.name]);
    }
    done.add(s.name);
    out.push(s);
  };
  for (const s of services) visit(s, []);
  return out;
}

/** Reads docker-compose.yml (with YAML merge keys) and, when a service has no entrypoint, the Dockerfile beside it. */
export function readComposePlan(composeFile: string): ComposePlan {
  const doc = ComposeSchema.parse(parse(readFileSync(composeFile, 'utf8'), { merge: true }));
  const netEntries = Object.entries(doc.networks ?? {});
  const [network, netDef] = netEntries.find(([, n]) => n?.ipam?.config?.[0]?.subnet) ?? [];
  const cfg = netDef?.ipam?.config?.[0];
  if (!network || !cfg) throw new ComposeError('docker-compose.yml needs a network with a fixed ipam subnet');
  const [base, bits] = cfg.subnet.split('/');
  const prefix = Number(bits);
  const gateway = cfg.gateway ?? base!.replace(/\.\d+$/, '.1');
  let fallback: string[] | undefined;
  const entrypoint = () => (fallback ??= dockerfileEntrypoint(readFileSync(path.join(path.dirname(composeFile), 'Dockerfile'), 'utf8')));

  const services = Object.entries(doc.services).map(([name, s]): ServicePlan => {
    const nets = s.networks;
    const ip = nets && !Array.isArray(nets) ? nets[network]?.ipv4_address : undefined;
    if (!ip) throw new ComposeError(`service ${name} has no ipv4_address on network ${network}`);
    const argv = s.entrypoint !== undefined ? asArgv(s.entrypoint) : entrypoint();
    if (!argv) throw new ComposeError(`service ${name} has no entrypoint and the Dockerfile has no exec-form ENTRYPOINT`);
    // Compose appends `command` to an exec-form entrypoint.
    const cmd = s.command === undefined ? [] : Array.isArray(s.command) ? s.command : s.command.split(/\s+/).filter(Boolean);
    const dependsOn = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    return { name, ip, env: envMap(s.environment), argv: [...argv, ...cmd], binds: binds(s.volumes), dependsOn };
  });
  return { network, subnet: cfg.subnet, gateway, prefix, services: dependencyOrder(services) };
}
