import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PodSchema } from '@tinykube/api';
import type { Logger } from 'pino';
import { z } from 'zod';
import { podDir } from './logs.js';

// Each pod's checkpoint (<root>/pods/<uid>/checkpoint.json): the pod as last seen and every
// container instance the kubelet started (pid + /proc start time). A restarted kubelet reads these
// to re-adopt running containers instead of restarting them, and keeps restart counts and last
// states, so `kubectl get pods` does not forget a crash loop.

export const ContainerRecordSchema = z.object({
  id: z.string(),
  pid: z.number().int(),
  startTicks: z.number(),
  podUid: z.string(),
  name: z.string(),
  attempt: z.number().int(),
  image: z.string(),
  imageID: z.string(),
  logPath: z.string(),
  specHash: z.string(),
  memoryLimitBytes: z.number().optional(),
  startedAt: z.number(),
  state: z.enum(['running', 'exited']),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  finishedAt: z.number().optional(),
  adopted: z.boolean().optional(),
});

const BackoffSchema = z.object({ count: z.number().int(), until: z.number(), delayMs: z.number() });

export const ContainerCheckpointSchema = z.object({
  restartCount: z.number().int(),
  current: ContainerRecordSchema.optional(),
  previous: ContainerRecordSchema.optional(),
  backoff: BackoffSchema.optional(),
});
export type ContainerCheckpoint = z.infer<typeof ContainerCheckpointSchema>;

export const PodCheckpointSchema = z.object({
  version: z.literal(1),
  uid: z.string(),
  source: z.enum(['api', 'file']),
  pod: PodSchema,
  podIP: z.string().optional(),
  startTime: z.number().optional(),
  containers: z.record(z.string(), ContainerCheckpointSchema),
  init: z.record(z.string(), ContainerCheckpointSchema),
});
export type PodCheckpoint = z.infer<typeof PodCheckpointSchema>;

export function checkpointPath(rootDir: string, uid: string): string {
  return join(podDir(rootDir, uid), 'checkpoint.json');
}

/** Writes atomically: a crash mid-write leaves the previous checkpoint intact. */
export function saveCheckpoint(rootDir: string, cp: PodCheckpoint): void {
  const dir = podDir(rootDir, cp.uid);
  mkdirSync(dir, { recursive: true });
  const path = checkpointPath(rootDir, cp.uid);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(cp));
  renameSync(tmp, path);
}

export function loadCheckpoint(rootDir: string, uid: string): PodCheckpoint | undefined {
  const path = checkpointPath(rootDir, uid);
  if (!existsSync(path)) return undefined;
  return PodCheckpointSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Every readable checkpoint; unreadable ones are logged and skipped. */
export function loadAllCheckpoints(rootDir: string, log: Logger): PodCheckpoint[] {
  const dir = join(rootDir, 'pods');
  if (!existsSync(dir)) return [];
  const out: PodCheckpoint[] = [];
  for (const uid of readdirSync(dir)) {
    try {
      const cp = loadCheckpoint(rootDir, uid);
      if (cp) out.push(cp);
    } catch (err) {
      log.warn({ err, uid }, 'unreadable pod checkpoint; ignoring it');
    }
  }
  return out;
}
