// The contract between the pod workers and a container runtime (the process runtime, or the fake
// one for hollow nodes). A container instance is a ContainerRecord: the runtime updates it in place
// when the instance ends, and the pod worker persists it in the pod's checkpoint.

export interface StartSpec {
  podUid: string;
  name: string;
  /** 0 for the first run, then one more per restart; names the log file. */
  attempt: number;
  image: string;
  imageID: string;
  /** argv[0] is an absolute executable path (the image catalogue resolved it). */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  /** From resources.limits.memory; enforced by the runtime (OOMKilled). */
  memoryLimitBytes?: number;
  /** Hash of the container's spec: a change (e.g. a new image) restarts the container. */
  specHash: string;
}

export interface ContainerRecord {
  /** "tinykube://<pid>" (the fake runtime: "tinykube-fake://<n>"). */
  id: string;
  pid: number;
  /** /proc/<pid>/stat field 22: with the pid, identifies the process across kubelet restarts. */
  startTicks: number;
  podUid: string;
  name: string;
  attempt: number;
  image: string;
  imageID: string;
  logPath: string;
  specHash: string;
  memoryLimitBytes?: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  state: 'running' | 'exited';
  exitCode?: number;
  /** Signal name when the process was killed by one. */
  signal?: string;
  /** Completed | Error | OOMKilled | StartError | ContainerStatusUnknown */
  reason?: string;
  message?: string;
  finishedAt?: number;
  /** Re-attached after a kubelet restart: not our child, so its exit code cannot be known. */
  adopted?: boolean;
}

export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export interface Runtime {
  readonly kind: 'process' | 'fake';
  readonly version: string;
  /** Starts an instance. Never throws for a bad command: that comes back as an exited record (StartError, 128). */
  start(spec: StartSpec): ContainerRecord;
  /** SIGTERM to the process group, `graceMs`, then SIGKILL; resolves once the instance has ended. */
  stop(rec: ContainerRecord, graceMs: number): Promise<void>;
  /** Re-attaches a checkpointed instance after a kubelet restart (marks it exited if it is gone). */
  adopt(rec: ContainerRecord): ContainerRecord;
  /** Runs a command "in" the container (same env and folder): exec probes. */
  exec(rec: ContainerRecord, argv: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<ExecResult>;
  /** Called whenever an instance ends (the record is already updated). */
  onExit(fn: (rec: ContainerRecord) => void): void;
  /** Stops the runtime's own loops; containers keep running (a kubelet restart must not stop them). */
  close(): void;
}
