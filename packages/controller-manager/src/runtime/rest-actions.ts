import { isNotFound, type RestClient } from '@tinykube/client';
import type { Actions, CollectionTarget, DeleteOptions, PatchType } from '../core/ports.js';
import { RESOURCES, type ResourceName, type ResourceTypes } from '../core/resources.js';

/** The Actions port over @tinykube/client's RestClient. */
export class RestActions implements Actions {
  constructor(private readonly client: RestClient) {}

  async get<R extends ResourceName>(r: R, namespace: string, name: string): Promise<ResourceTypes[R] | undefined> {
    try {
      return await this.client.get<ResourceTypes[R]>(RESOURCES[r], name, { namespace: namespace || undefined });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async listNames(target: CollectionTarget, namespace: string): Promise<string[]> {
    const list = await this.client.listAll({ ...target, namespaced: true }, { namespace: namespace || undefined });
    return list.items.map((o) => o.metadata?.name ?? '');
  }

  create<R extends ResourceName>(r: R, namespace: string, obj: ResourceTypes[R]): Promise<ResourceTypes[R]> {
    return this.client.create<ResourceTypes[R]>(RESOURCES[r], obj, { namespace: namespace || undefined });
  }

  update<R extends ResourceName>(r: R, obj: ResourceTypes[R], subresource?: 'status' | 'finalize' | 'approval'): Promise<ResourceTypes[R]> {
    return this.client.update<ResourceTypes[R]>(RESOURCES[r], obj, { subresource });
  }

  patch<R extends ResourceName>(r: R, namespace: string, name: string, type: PatchType, patch: unknown): Promise<ResourceTypes[R]> {
    return this.client.patch<ResourceTypes[R]>(RESOURCES[r], name, patch, type, { namespace: namespace || undefined });
  }

  async delete(r: ResourceName, namespace: string, name: string, opts: DeleteOptions = {}): Promise<void> {
    try {
      await this.client.delete(RESOURCES[r], name, {
        namespace: namespace || undefined,
        propagationPolicy: opts.propagationPolicy,
        gracePeriodSeconds: opts.gracePeriodSeconds,
        preconditions: opts.uid ? { uid: opts.uid } : undefined,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err; // already gone is what we wanted
    }
  }

  async deleteCollection(target: CollectionTarget, namespace: string): Promise<void> {
    await this.client.deleteCollection({ ...target, namespaced: true }, { namespace, propagationPolicy: 'Background' });
  }
}
