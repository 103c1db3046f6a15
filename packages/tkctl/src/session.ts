import { KubeconfigError, loadKubeconfig, RestClient, type ResolvedKubeconfig } from '@tinykube/client';
import type { Io } from './io.js';

/** The flags every verb accepts, as kubectl has them. */
export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  requestTimeout?: string;
}

/** A connection to one cluster plus the namespace commands default to. */
export interface Session {
  client: RestClient;
  config: ResolvedKubeconfig;
  /** -n, else the context's namespace, else "default". */
  namespace: string;
  /** True when -n/--namespace was given (apply then refuses manifests of other namespaces). */
  namespaceFromFlag: boolean;
  io: Io;
  close(): Promise<void>;
}

export const CLIENT_VERSION = 'v0.1.0';

/**
 * Resolves the kubeconfig like kubectl (--kubeconfig, else KUBECONFIG, else ~/.kube/config;
 * --context, --cluster, --user, -n), then applies --server/--token. With --server no kubeconfig
 * file is needed at all.
 */
export function resolveConfig(flags: GlobalFlags, env: Record<string, string | undefined>): ResolvedKubeconfig {
  let cfg: ResolvedKubeconfig;
  try {
    cfg = loadKubeconfig({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      cluster: flags.cluster,
      user: flags.user,
      namespace: flags.namespace,
      env,
    });
  } catch (err) {
    if (!(err instanceof KubeconfigError) || !flags.server || (err.code !== 'ENOKUBECONFIG' && err.code !== 'ENOCONTEXT')) throw err;
    cfg = {
      contextName: '', clusterName: '', userName: '', server: flags.server,
      namespace: flags.namespace ?? 'default', tls: { insecureSkipTlsVerify: false }, files: [],
    };
  }
  const out: ResolvedKubeconfig = { ...cfg, tls: { ...cfg.tls } };
  if (flags.server) out.server = flags.server;
  if (flags.token) {
    out.token = flags.token;
    delete out.tokenFile;
  }
  if (flags.insecureSkipTlsVerify) out.tls.insecureSkipTlsVerify = true;
  return out;
}

/** Parses kubectl's --request-timeout ("0" = none, "30", "30s", "1m", "500ms"). */
export function parseTimeout(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || v === '0') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new KubeconfigError('EPARSE', `invalid timeout value "${v}": use a number with an optional unit (ms, s, m, h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Number(m[1]) * unit;
}

export function openSession(flags: GlobalFlags, io: Io): Session {
  const config = resolveConfig(flags, io.env);
  const client = RestClient.fromKubeconfig(config, {
    userAgent: `tkctl/${CLIENT_VERSION}`,
    timeoutMs: parseTimeout(flags.requestTimeout) ?? 30_000,
  });
  return {
    client,
    config,
    namespace: config.namespace,
    namespaceFromFlag: flags.namespace !== undefined,
    io,
    close: () => client.close(),
  };
}
