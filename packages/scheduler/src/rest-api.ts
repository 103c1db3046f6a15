import type { RestClient, ResourceRef } from '@tinykube/client';
import type { SchedulerApi } from './api.js';
import type { PodEvent } from './events.js';

export const podsResource: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const nodesResource: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const eventsResource: ResourceRef = { group: '', version: 'v1', plural: 'events', namespaced: true };

/**
 * SchedulerApi over @tinykube/client's RestClient. Failures surface as @tinykube/api's ApiError,
 * which the scheduler inspects through isNotFound().
 */
export class RestSchedulerApi implements SchedulerApi {
  constructor(private readonly client: RestClient) {}

  async bind(pod: { namespace: string; name: string; uid: string }, nodeName: string): Promise<void> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    await this.client.create(podsResource, binding, { namespace: pod.namespace, name: pod.name, subresource: 'binding' });
  }

  async createEvent(event: PodEvent): Promise<void> {
    await this.client.create(eventsResource, event, { namespace: event.metadata.namespace });
  }

  async patchEvent(namespace: string, name: string, patch: Record<string, unknown>): Promise<void> {
    await this.client.patch(eventsResource, name, patch, 'merge', { namespace });
  }

  async patchPodStatus(namespace: string, name: string, patch: Record<string, unknown>): Promise<void> {
    await this.client.patch(podsResource, name, patch, 'strategic', { namespace, subresource: 'status' });
  }
}
