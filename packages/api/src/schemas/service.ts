import { z } from 'zod';
import { ProtocolSchema } from './container.js';
import { ObjectMetaFieldSchema, listSchema } from './meta.js';
import { IntOrStringSchema, ObjectReferenceSchema, StringMapSchema } from './primitives.js';

// core/v1 Service and Endpoints.

export const ServicePortSchema = z.looseObject({
  name: z.string().optional(),
  protocol: ProtocolSchema.optional(),
  appProtocol: z.string().optional(),
  port: z.number().int(),
  targetPort: IntOrStringSchema.optional(),
  nodePort: z.number().int().optional(),
});
export type ServicePort = z.infer<typeof ServicePortSchema>;

export const ServiceTypeSchema = z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
export type ServiceType = z.infer<typeof ServiceTypeSchema>;

export const ServiceSpecSchema = z.looseObject({
  ports: z.array(ServicePortSchema).optional(),
  selector: StringMapSchema.optional(),
  clusterIP: z.string().optional(),
  clusterIPs: z.array(z.string()).optional(),
  type: ServiceTypeSchema.optional(),
  externalIPs: z.array(z.string()).optional(),
  sessionAffinity: z.enum(['ClientIP', 'None']).optional(),
  loadBalancerIP: z.string().optional(),
  externalName: z.string().optional(),
  externalTrafficPolicy: z.string().optional(),
  internalTrafficPolicy: z.string().optional(),
  ipFamilies: z.array(z.string()).optional(),
  ipFamilyPolicy: z.string().optional(),
  publishNotReadyAddresses: z.boolean().optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

export const LoadBalancerIngressSchema = z.looseObject({
  ip: z.string().optional(),
  hostname: z.string().optional(),
});

export const ServiceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  spec: ServiceSpecSchema.default(() => ({})),
  status: z
    .looseObject({
      loadBalancer: z.looseObject({ ingress: z.array(LoadBalancerIngressSchema).optional() }).optional(),
    })
    .optional(),
});
export type Service = z.infer<typeof ServiceSchema>;
export const ServiceListSchema = listSchema(ServiceSchema);
export type ServiceList = z.infer<typeof ServiceListSchema>;

export const EndpointAddressSchema = z.looseObject({
  ip: z.string(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
});
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

export const EndpointPortSchema = z.looseObject({
  name: z.string().optional(),
  port: z.number().int(),
  protocol: ProtocolSchema.optional(),
  appProtocol: z.string().optional(),
});
export type EndpointPort = z.infer<typeof EndpointPortSchema>;

export const EndpointSubsetSchema = z.looseObject({
  addresses: z.array(EndpointAddressSchema).optional(),
  notReadyAddresses: z.array(EndpointAddressSchema).optional(),
  ports: z.array(EndpointPortSchema).optional(),
});
export type EndpointSubset = z.infer<typeof EndpointSubsetSchema>;

export const EndpointsSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMetaFieldSchema,
  subsets: z.array(EndpointSubsetSchema).optional(),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;
export const EndpointsListSchema = listSchema(EndpointsSchema);
export type EndpointsList = z.infer<typeof EndpointsListSchema>;
