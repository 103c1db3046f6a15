import type { ConfigMap, Secret } from '@tinykube/api';
import { isNotFound, type Clock, type RestClient } from '@tinykube/client';
import type { ObjectSource } from './env.js';

const configMaps = { group: '', version: 'v1', plural: 'configmaps', namespaced: true } as const;
const secrets = { group: '', version: 'v1', plural: 'secrets', namespaced: true } as const;

/**
 * ConfigMaps and Secrets read from the apiserver with a short cache (every pod sync refreshes its
 * volumes; this keeps that from becoming a GET per pod per sync). Without an apiserver, nothing exists.
 */
export class ApiObjectSource implements ObjectSource {
  private readonly cache = new Map<string, { at: number; obj: unknown }>();

  constructor(private readonly client: RestClient | undefined, private readonly clock: Clock, private readonly ttlMs = 5_000) {}

  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.get<ConfigMap>(configMaps, namespace, name);
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.get<Secret>(secrets, namespace, name);
  }

  private async get<T>(res: typeof configMaps | typeof secrets, namespace: string, name: string): Promise<T | undefined> {
    if (!this.client || !name) return undefined;
    const key = `${res.plural}/${namespace}/${name}`;
    const hit = this.cache.get(key);
    if (hit && this.clock.now() - hit.at < this.ttlMs) return hit.obj as T | undefined;
    let obj: T | undefined;
    try {
      obj = (await this.client.get(res, name, { namespace })) as T;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      obj = undefined;
    }
    this.cache.set(key, { at: this.clock.now(), obj });
    return obj;
  }
}
