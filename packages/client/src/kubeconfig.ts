import { readFileSync, existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';

// kubectl's kubeconfig format. Lists may be null in files kubectl wrote; unknown fields are kept.
const list = <T extends z.ZodType>(item: T) =>
  z.array(item).nullish().transform((x) => x ?? []);

export const ClusterSchema = z.looseObject({
  server: z.string(),
  'certificate-authority': z.string().optional(),
  'certificate-authority-data': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
  'tls-server-name': z.string().optional(),
});

export const AuthInfoSchema = z.looseObject({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  'client-certificate': z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-key': z.string().optional(),
  'client-key-data': z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

export const ContextSchema = z.looseObject({
  cluster: z.string(),
  user: z.string().optional(),
  namespace: z.string().optional(),
});

export const KubeconfigSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  clusters: list(z.looseObject({ name: z.string(), cluster: ClusterSchema })),
  users: list(z.looseObject({ name: z.string(), user: AuthInfoSchema.nullish().transform((u) => u ?? {}) })),
  contexts: list(z.looseObject({ name: z.string(), context: ContextSchema })),
  'current-context': z.string().optional(),
});

export type Kubeconfig = z.infer<typeof KubeconfigSchema>;
export type KubeconfigCluster = z.infer<typeof ClusterSchema>;
export type KubeconfigUser = z.infer<typeof AuthInfoSchema>;

/** Everything a client needs to reach the selected cluster, with files read and base64 decoded. */
export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  namespace: string;
  tls: { ca?: string; cert?: string; key?: string; insecureSkipTlsVerify: boolean; servername?: string };
  token?: string;
  /** Read again by the REST client so rotated tokens are picked up. */
  tokenFile?: string;
  username?: string;
  password?: string;
  /** The files that were read, first wins. */
  files: string[];
}

export type KubeconfigErrorCode = 'ENOKUBECONFIG' | 'EPARSE' | 'ENOCONTEXT' | 'ENOCLUSTER' | 'ENOUSER';

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
  constructor(readonly code: KubeconfigErrorCode, message: string) {
    super(message);
  }
}

export interface LoadKubeconfigOptions {
  /** --kubeconfig: use only this file. */
  kubeconfig?: string;
  /** --context: use this context instead of current-context. */
  context?: string;
  /** --cluster / --user / --namespace overrides, as kubectl has them. */
  cluster?: string;
  user?: string;
  namespace?: string;
  /** Defaults to process.env (KUBECONFIG, HOME). */
  env?: Record<string, string | undefined>;
}

interface Named<T> {
  value: T;
  /** The directory of the file it came from: relative paths in it are relative to that. */
  dir: string;
}

interface Merged {
  clusters: Map<string, Named<KubeconfigCluster>>;
  users: Map<string, Named<KubeconfigUser>>;
  contexts: Map<string, z.infer<typeof ContextSchema>>;
  currentContext?: string;
  files: string[];
}

/** Which files to read: --kubeconfig alone, else every file in KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPaths(opts: LoadKubeconfigOptions = {}): string[] {
  if (opts.kubeconfig) return [resolve(opts.kubeconfig)];
  const env = opts.env ?? process.env;
  const fromEnv = (env.KUBECONFIG ?? '').split(':').filter((p) => p.length > 0);
  if (fromEnv.length > 0) return fromEnv.map((p) => resolve(p));
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

/** Parses one kubeconfig document. */
export function parseKubeconfig(text: string, source = '<input>'): Kubeconfig {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new KubeconfigError('EPARSE', `${source}: invalid YAML: ${(err as Error).message}`);
  }
  const parsed = KubeconfigSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KubeconfigError('EPARSE', `${source}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function mergeFiles(paths: string[], explicit: boolean): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const path of paths) {
    // kubectl skips missing files in KUBECONFIG but fails on a missing --kubeconfig.
    if (!existsSync(path)) {
      if (explicit) throw new KubeconfigError('ENOKUBECONFIG', `kubeconfig ${path} does not exist`);
      continue;
    }
    const cfg = parseKubeconfig(readFileSync(path, 'utf8'), path);
    const dir = dirname(path);
    merged.files.push(path);
    // First file wins for every name and for current-context.
    for (const c of cfg.clusters) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, { value: c.cluster, dir });
    for (const u of cfg.users) if (!merged.users.has(u.name)) merged.users.set(u.name, { value: u.user, dir });
    for (const c of cfg.contexts) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, c.context);
    if (merged.currentContext === undefined && cfg['current-context']) merged.currentContext = cfg['current-context'];
  }
  return merged;
}

function readPath(p: string, dir: string): string {
  return readFileSync(isAbsolute(p) ? p : join(dir, p), 'utf8');
}

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

/** Loads, merges and resolves the kubeconfig the way kubectl does. */
export function loadKubeconfig(opts: LoadKubeconfigOptions = {}): ResolvedKubeconfig {
  const paths = kubeconfigPaths(opts);
  const merged = mergeFiles(paths, opts.kubeconfig !== undefined);
  if (merged.files.length === 0) throw new KubeconfigError('ENOKUBECONFIG', `no kubeconfig found (looked in ${paths.join(', ')})`);

  const contextName = opts.context ?? merged.currentContext;
  const ctx = contextName !== undefined ? merged.contexts.get(contextName) : undefined;
  if (!ctx && !opts.cluster) {
    throw new KubeconfigError('ENOCONTEXT', contextName ? `context "${contextName}" does not exist` : 'current-context is not set');
  }
  const clusterName = opts.cluster ?? ctx?.cluster ?? '';
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError('ENOCLUSTER', `cluster "${clusterName}" does not exist`);
  const userName = opts.user ?? ctx?.user ?? '';
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) throw new KubeconfigError('ENOUSER', `user "${userName}" does not exist`);

  const c = cluster.value;
  const tls: ResolvedKubeconfig['tls'] = { insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true };
  if (c['certificate-authority-data']) tls.ca = b64(c['certificate-authority-data']);
  else if (c['certificate-authority']) tls.ca = readPath(c['certificate-authority'], cluster.dir);
  if (c['tls-server-name']) tls.servername = c['tls-server-name'];

  const out: ResolvedKubeconfig = {
    contextName: contextName ?? '',
    clusterName,
    userName,
    server: c.server,
    namespace: opts.namespace ?? ctx?.namespace ?? 'default',
    tls,
    files: merged.files,
  };
  if (user) {
    const u = user.value;
    if (u['client-certificate-data']) tls.cert = b64(u['client-certificate-data']);
    else if (u['client-certificate']) tls.cert = readPath(u['client-certificate'], user.dir);
    if (u['client-key-data']) tls.key = b64(u['client-key-data']);
    else if (u['client-key']) tls.key = readPath(u['client-key'], user.dir);
    if (u.token) out.token = u.token;
    else if (u.tokenFile) out.tokenFile = isAbsolute(u.tokenFile) ? u.tokenFile : join(user.dir, u.tokenFile);
    if (u.username !== undefined) out.username = u.username;
    if (u.password !== undefined) out.password = u.password;
  }
  return out;
}

export interface WriteKubeconfigOptions {
  server: string;
  /** Used as the cluster, user and context name. */
  name: string;
  namespace?: string;
  token?: string;
  /** PEM text of the CA; stored base64-encoded as certificate-authority-data. */
  certificateAuthorityPem?: string;
  /** PEM text of the user's client certificate and key (client-certificate-data, client-key-data). */
  clientCertificatePem?: string;
  clientKeyPem?: string;
  insecureSkipTlsVerify?: boolean;
}

/** The document `writeKubeconfig` writes: one cluster, user and context, all called `name`. */
export function buildKubeconfig(o: WriteKubeconfigOptions): Kubeconfig {
  const cluster: KubeconfigCluster = { server: o.server };
  if (o.certificateAuthorityPem) cluster['certificate-authority-data'] = Buffer.from(o.certificateAuthorityPem).toString('base64');
  if (o.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  const user: KubeconfigUser = o.token ? { token: o.token } : {};
  if (o.clientCertificatePem) user['client-certificate-data'] = Buffer.from(o.clientCertificatePem).toString('base64');
  if (o.clientKeyPem) user['client-key-data'] = Buffer.from(o.clientKeyPem).toString('base64');
  const context: z.infer<typeof ContextSchema> = { cluster: o.name, user: o.name };
  if (o.namespace) context.namespace = o.namespace;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: o.name, cluster }],
    users: [{ name: o.name, user }],
    contexts: [{ name: o.name, context }],
    'current-context': o.name,
  };
}

/**
 * Writes a kubeconfig for one cluster (used by `npm start`). Written to a temp file and renamed into
 * place so readers never see half a file; mode 0600 because it may hold a token or a key.
 */
export async function writeKubeconfig(path: string, o: WriteKubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, stringifyYaml(buildKubeconfig(o)), { mode: 0o600 });
  await rename(tmp, path);
}
