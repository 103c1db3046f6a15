import type { z } from 'zod';
import type { KubeObject } from './schemas/meta.js';
import type { FieldCause } from './validation/field-errors.js';

// The registry contract shared by the apiserver, the client and tkctl.

export type TableCell = string | number | boolean | null;

export interface TableColumn {
  /** Kubernetes' column name (`Name`, `Nominated Node`); kubectl upper-cases it for display. */
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** 'name' for the NAME column, as Kubernetes marks it */
  format?: string;
  description: string;
  /** 1 = shown only with `-o wide` */
  priority: 0 | 1;
  /** AGE-like columns return a human age ("5m", "3h2m") computed from `now`. */
  cell: (obj: KubeObject, now: Date) => TableCell;
}

export interface ResourceInfo {
  /** '' for the core group */
  group: string;
  version: string;
  /** 'v1' or 'apps/v1' */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** e.g. pods: ['status','binding','eviction','log','exec','attach','portforward'] */
  subresources: string[];
  columns: TableColumn[];
  /** Parses a full object of this kind; unknown fields are kept, JSON nulls are treated as absent. */
  schema: z.ZodType<KubeObject>;
  /** status subresource semantics: main-resource updates ignore .status, /status updates ignore the rest */
  hasStatus: boolean;
  /** Custom kinds: prunes unknown fields and applies the schema's defaults (in place; used instead of built-in defaulting). */
  normalize?: (obj: KubeObject) => void;
  /** Custom kinds: the schema's validation of the parsed object, after metadata validation. */
  validate?: (obj: KubeObject) => FieldCause[];
  /** The scale subresource's paths (custom kinds; `.spec.replicas`-style JSONPaths). */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** Custom kinds: the version objects are stored in (their stored apiVersion is `<group>/<storageVersion>`). */
  storageVersion?: string;
}
