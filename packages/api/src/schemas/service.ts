import { z } from 'zod';
import { ProtocolSchema } from './container.js';
import { kindSchema, listSchema } from './meta.js';
import { IntOrStringSchema, ObjectReferenceSchema, StringMapSchema } from './primitives.js';

// core/v1 Service and Endpoints.

export const ServicePortSchema = z.looseObject({
  name: z.string().optional().describe('The name of the port; required when there are several.'),
  protocol: ProtocolSchema.optional().describe('TCP (the default), UDP or SCTP.'),
  appProtocol: z.string().optional(),
  port: z.number().int().describe('The port the Service listens on.'),
  targetPort: IntOrStringSchema.optional().describe('The pod port traffic goes to: a number or the name of a container port (defaults to port).'),
  nodePort: z.number().int().optional().describe('For NodePort and LoadBalancer Services, the port opened on every node.'),
}).describe('One port a Service exposes and the pod port it forwards to.');
export type ServicePort = z.infer<typeof ServicePortSchema>;

export const ServiceTypeSchema = z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
export type ServiceType = z.infer<typeof ServiceTypeSchema>;

export const ServiceSpecSchema = z.looseObject({
  ports: z.array(ServicePortSchema).optional().describe('The ports the Service exposes.'),
  selector: StringMapSchema.optional().describe('Labels of the pods that receive the traffic. Without a selector, endpoints are managed by hand.'),
  clusterIP: z.string().optional().describe('The virtual IP of the Service, allocated by the server; "None" makes a headless Service.'),
  clusterIPs: z.array(z.string()).optional(),
  type: ServiceTypeSchema.optional().describe('How the Service is reached: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.'),
  externalIPs: z.array(z.string()).optional(),
  sessionAffinity: z.enum(['ClientIP', 'None']).optional(),
  loadBalancerIP: z.string().optional(),
  externalName: z.string().optional(),
  externalTrafficPolicy: z.string().optional(),
  internalTrafficPolicy: z.string().optional(),
  ipFamilies: z.array(z.string()).optional(),
  ipFamilyPolicy: z.string().optional(),
  publishNotReadyAddresses: z.boolean().optional(),
}).describe('The desired state of a Service: which pods it selects, the ports it exposes and how it is reached.');
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

export const LoadBalancerIngressSchema = z.looseObject({
  ip: z.string().optional(),
  hostname: z.string().optional(),
});

export const ServiceSchema = kindSchema({
  spec: ServiceSpecSchema.default(() => ({})),
  status: z
    .looseObject({
      loadBalancer: z.looseObject({ ingress: z.array(LoadBalancerIngressSchema).optional() }).optional(),
    })
    .optional(),
}).describe('A Service gives a set of pods one stable virtual IP and DNS name, and balances connections across them.');
export type Service = z.infer<typeof ServiceSchema>;
export const ServiceListSchema = listSchema(ServiceSchema);
export type ServiceList = z.infer<typeof ServiceListSchema>;

export const EndpointAddressSchema = z.looseObject({
  ip: z.string(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
}).describe('The IP address of one endpoint, usually a pod, and a reference to it.');
export type EndpointAddress = z.infer<typeof EndpointAddressSchema>;

export const EndpointPortSchema = z.looseObject({
  name: z.string().optional(),
  port: z.number().int(),
  protocol: ProtocolSchema.optional(),
  appProtocol: z.string().optional(),
}).describe('A port the endpoints serve.');
export type EndpointPort = z.infer<typeof EndpointPortSchema>;

export const EndpointSubsetSchema = z.looseObject({
  addresses: z.array(EndpointAddressSchema).optional(),
  notReadyAddresses: z.array(EndpointAddressSchema).optional(),
  ports: z.array(EndpointPortSchema).optional(),
}).describe('A group of addresses that all serve the same ports.');
export type EndpointSubset = z.infer<typeof EndpointSubsetSchema>;

export const EndpointsSchema = kindSchema({
  subsets: z.array(EndpointSubsetSchema).optional(),
}).describe('The addresses and ports of the pods behind a Service, maintained by the endpoints controller.');
export type Endpoints = z.infer<typeof EndpointsSchema>;
export const EndpointsListSchema = listSchema(EndpointsSchema);
export type EndpointsList = z.infer<typeof EndpointsListSchema>;
