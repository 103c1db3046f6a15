import { GoDurationError, parseGoDurationOrError } from '@tinykube/api';
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

/**
 * kubectl's --request-timeout (clientcmd.ParseTimeout): a bare integer is seconds, anything else a
 * Go duration ("30s", "1m", "500ms"); zero means none.
 */
export function parseTimeout(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = /^\+?[0-9]+$/.test(v) ? Number(v) * 1000 : parseGoDurationOrError(v);
  if (ms instanceof GoDurationError) {
    throw new KubeconfigError('EPARSE', 'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)');
  }
  return ms > 0 ? ms : undefined;
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
