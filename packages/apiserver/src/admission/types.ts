/**
 * The admission stage's contract (kube's admission.Attributes and Interface), run by the storage layer on every
 * write a request makes — after defaulting, before validation — so plugins see the object as it will be stored.
 */
import type { KubeObject, ResourceInfo } from '@tinykube/api';
import type { UserInfo } from '../auth/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  info: ResourceInfo;
  namespace: string;
  name: string;
  subresource: string;
  /** The object to be stored (CREATE, UPDATE); a plugin may change it (mutating admission). */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Throws the Status the client gets (403 Forbidden, 422 Invalid...) to refuse; may mutate `object`. */
  admit(req: AdmissionRequest): void | Promise<void>;
}

/** What the storage layer calls: the request's user comes from the pipeline; internal writes skip admission. */
export type Admit = (req: Omit<AdmissionRequest, 'user'>) => Promise<void>;
