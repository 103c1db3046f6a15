import { z } from 'zod';
import { DeleteOptionsSchema, kindSchema, listSchema } from './meta.js';
import { ObjectReferenceSchema, TimeSchema } from './primitives.js';

// coordination.k8s.io/v1 Lease, and the subresource bodies: core/v1 Binding (pods/binding),
// policy/v1 Eviction (pods/eviction), autoscaling/v1 Scale (deployments/scale, replicasets/scale).

export const LeaseSchema = kindSchema({
  spec: z
    .looseObject({
      holderIdentity: z.string().optional(),
      leaseDurationSeconds: z.number().int().optional(),
      acquireTime: TimeSchema.optional(), // MicroTime
      renewTime: TimeSchema.optional(), // MicroTime
      leaseTransitions: z.number().int().optional(),
      strategy: z.string().optional(),
      preferredHolder: z.string().optional(),
    })
    .default(() => ({})),
}).describe('A Lease records who holds a lock and until when; used for leader election and node heartbeats.');
export type Lease = z.infer<typeof LeaseSchema>;
export const LeaseListSchema = listSchema(LeaseSchema);
export type LeaseList = z.infer<typeof LeaseListSchema>;

export const BindingSchema = kindSchema({
  target: ObjectReferenceSchema, // {kind: Node, name}
});
export type Binding = z.infer<typeof BindingSchema>;

export const EvictionSchema = kindSchema({
  deleteOptions: DeleteOptionsSchema.optional(),
});
export type Eviction = z.infer<typeof EvictionSchema>;

export const ScaleSchema = kindSchema({
  spec: z.looseObject({ replicas: z.number().int().optional() }).default(() => ({})),
  status: z
    .looseObject({
      replicas: z.number().int().default(0),
      selector: z.string().optional(), // label selector in string form, e.g. "app=web"
    })
    .optional(),
});
export type Scale = z.infer<typeof ScaleSchema>;
