import { z } from 'zod';
import { IntOrStringSchema, ResourceListSchema, TimeSchema } from './primitives.js';

// core/v1 Container and the structs only containers use (probes, env, ports, lifecycle, status).

export const ProtocolSchema = z.enum(['TCP', 'UDP', 'SCTP']);
export type Protocol = z.infer<typeof ProtocolSchema>;

export const ContainerPortSchema = z.looseObject({
  name: z.string().optional().describe('A name for the port, unique in the pod, that Services can refer to.'),
  hostPort: z.number().int().optional().describe('A port on the node forwarded to the container port; rarely needed.'),
  containerPort: z.number().int().describe('The port number inside the container.'),
  protocol: ProtocolSchema.optional().describe('TCP (the default), UDP or SCTP.'),
  hostIP: z.string().optional(),
}).describe('A network port a container listens on.');
export type ContainerPort = z.infer<typeof ContainerPortSchema>;

const KeySelector = z.looseObject({ name: z.string().optional(), key: z.string(), optional: z.boolean().optional() });

export const EnvVarSourceSchema = z.looseObject({
  fieldRef: z.looseObject({ apiVersion: z.string().optional(), fieldPath: z.string() }).optional(),
  resourceFieldRef: z
    .looseObject({ containerName: z.string().optional(), resource: z.string(), divisor: z.unknown().optional() })
    .optional(),
  configMapKeyRef: KeySelector.optional(),
  secretKeyRef: KeySelector.optional(),
}).describe('Where the value of an environment variable comes from: a field of the pod, a resource limit, a ConfigMap key or a Secret key.');

export const EnvVarSchema = z.looseObject({
  name: z.string().describe('The name of the variable.'),
  value: z.string().optional().describe('The literal value; $(VAR) references to earlier variables are expanded.'),
  valueFrom: EnvVarSourceSchema.optional().describe('Reads the value from elsewhere instead of value.'),
}).describe('One environment variable of a container, given literally or read from another source.');
export type EnvVar = z.infer<typeof EnvVarSchema>;

const SourceRef = z.looseObject({ name: z.string().optional(), optional: z.boolean().optional() });
export const EnvFromSourceSchema = z.looseObject({
  prefix: z.string().optional(),
  configMapRef: SourceRef.optional(),
  secretRef: SourceRef.optional(),
}).describe('Imports every key of a ConfigMap or Secret as environment variables.');

export const ResourceRequirementsSchema = z.looseObject({
  limits: ResourceListSchema.optional().describe('The most of each resource the container may use, such as cpu: 500m or memory: 128Mi.'),
  requests: ResourceListSchema.optional().describe('The resources the scheduler reserves for the container; defaults to limits when only those are set.'),
}).describe('The compute resources a container asks for (requests, used to schedule it) and may not exceed (limits).');
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;

export const VolumeMountSchema = z.looseObject({
  name: z.string().describe('The name of the pod volume to mount.'),
  mountPath: z.string().describe('The path inside the container where the volume appears.'),
  readOnly: z.boolean().optional().describe('Mount the volume read-only.'),
  subPath: z.string().optional().describe('Mount only this path inside the volume instead of its root.'),
  mountPropagation: z.string().optional(),
}).describe('Mounts one of the pod\'s volumes into the container\'s filesystem.');
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

export const ExecActionSchema = z.looseObject({ command: z.array(z.string()).optional() });
export const HTTPGetActionSchema = z.looseObject({
  path: z.string().optional(),
  port: IntOrStringSchema,
  host: z.string().optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).optional(),
  httpHeaders: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
});
export const TCPSocketActionSchema = z.looseObject({ port: IntOrStringSchema, host: z.string().optional() });

export const ProbeSchema = z.looseObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  grpc: z.looseObject({ port: z.number().int(), service: z.string().optional() }).optional(),
  initialDelaySeconds: z.number().int().optional().describe('Seconds to wait after the container starts before the first probe.'),
  timeoutSeconds: z.number().int().optional().describe('Seconds after which one probe counts as failed (default 1).'),
  periodSeconds: z.number().int().optional().describe('Seconds between probes (default 10).'),
  successThreshold: z.number().int().optional().describe('Consecutive successes after which a failed probe is considered passing again (default 1).'),
  failureThreshold: z.number().int().optional().describe('Consecutive failures after which the probe is considered failed (default 3).'),
  terminationGracePeriodSeconds: z.number().int().optional(),
}).describe('A periodic check of a container\'s health: a command, an HTTP GET, a TCP connection or a gRPC call, with timing and thresholds.');
export type Probe = z.infer<typeof ProbeSchema>;

export const LifecycleHandlerSchema = z.looseObject({
  exec: ExecActionSchema.optional(),
  httpGet: HTTPGetActionSchema.optional(),
  tcpSocket: TCPSocketActionSchema.optional(),
  sleep: z.looseObject({ seconds: z.number().int() }).optional(),
});
export const LifecycleSchema = z.looseObject({
  postStart: LifecycleHandlerSchema.optional(),
  preStop: LifecycleHandlerSchema.optional(),
}).describe('Actions run right after a container starts and right before it is stopped.');

export const PullPolicySchema = z.enum(['Always', 'Never', 'IfNotPresent']);

export const ContainerSchema = z.looseObject({
  name: z.string().describe('The name of the container, unique within the pod.'),
  image: z.string().optional().describe('The container image to run, for example nginx:1.27.'),
  command: z.array(z.string()).optional().describe('The entrypoint, as an array; replaces the image\'s ENTRYPOINT. $(VAR) references to env vars are expanded.'),
  args: z.array(z.string()).optional().describe('Arguments to the entrypoint; replace the image\'s CMD.'),
  workingDir: z.string().optional().describe('The directory the command runs in; defaults to the image\'s.'),
  ports: z.array(ContainerPortSchema).optional().describe('Ports the container exposes. Informational: any port the process listens on is reachable.'),
  envFrom: z.array(EnvFromSourceSchema).optional().describe('ConfigMaps and Secrets whose keys all become environment variables.'),
  env: z.array(EnvVarSchema).optional().describe('Environment variables to set in the container.'),
  resources: ResourceRequirementsSchema.optional().describe('CPU and memory requests and limits of the container.'),
  volumeMounts: z.array(VolumeMountSchema).optional().describe('Where the pod\'s volumes appear in the container\'s filesystem.'),
  livenessProbe: ProbeSchema.optional().describe('Checks that the container is alive; it is restarted when the probe keeps failing.'),
  readinessProbe: ProbeSchema.optional().describe('Checks that the container can serve; until it succeeds the pod receives no Service traffic.'),
  startupProbe: ProbeSchema.optional().describe('Checks that the container has started; other probes wait until it succeeds.'),
  lifecycle: LifecycleSchema.optional().describe('Actions to run after the container starts and before it stops.'),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
  imagePullPolicy: PullPolicySchema.optional().describe('When to pull the image: Always, Never, or IfNotPresent. Defaults to Always for :latest, IfNotPresent otherwise.'),
  restartPolicy: z.string().optional(), // only `Always`, on init containers (sidecars)
  securityContext: z.looseObject({}).optional().describe('Security options of the container (user, capabilities, privilege).'),
  stdin: z.boolean().optional().describe('Keep a stdin stream open for the container (for attach).'),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional().describe('Allocate a terminal for the container; needs stdin.'),
}).describe('One container of a pod: the image to run, its command, environment, ports, volumes, resources and health probes.');
export type Container = z.infer<typeof ContainerSchema>;

export const ContainerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.looseObject({ startedAt: TimeSchema.optional() }).optional(),
  terminated: z
    .looseObject({
      exitCode: z.number().int(),
      signal: z.number().int().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startedAt: TimeSchema.optional(),
      finishedAt: TimeSchema.optional(),
      containerID: z.string().optional(),
    })
    .optional(),
}).describe('The state of a container: exactly one of waiting, running or terminated is set.');
export type ContainerState = z.infer<typeof ContainerStateSchema>;

export const ContainerStatusSchema = z.looseObject({
  name: z.string(),
  state: ContainerStateSchema.optional(),
  lastState: ContainerStateSchema.optional(),
  ready: z.boolean().default(false),
  restartCount: z.number().int().default(0),
  image: z.string().optional(),
  imageID: z.string().optional(),
  containerID: z.string().optional(),
  started: z.boolean().optional(),
}).describe('What the node reports about one container: its state, readiness and restart count.');
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;
