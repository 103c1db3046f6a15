/** The apiserver as the launcher reaches it: a URL and a TLS dispatcher with the admin's credentials. */
import { loadKubeconfig } from '@tinykube/client';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';

export interface ApiTarget {
  server: string;
  fetch(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<Response>;
}

/** From a kubeconfig file (the admin's, written by `npm start` / node-init). */
export function apiFromKubeconfig(file: string): ApiTarget {
  const k = loadKubeconfig({ kubeconfig: file });
  const dispatcher: Dispatcher = new Agent({
    connect: { ca: k.tls.ca, cert: k.tls.cert, key: k.tls.key, rejectUnauthorized: !k.tls.insecureSkipTlsVerify, servername: k.tls.servername },
  });
  const headers: Record<string, string> = k.token ? { authorization: `Bearer ${k.token}` } : {};
  return {
    server: k.server,
    fetch: (p, init = {}) => undiciFetch(k.server + p, { ...init, headers: { ...headers, ...init.headers }, dispatcher }) as unknown as Promise<Response>,
  };
}
