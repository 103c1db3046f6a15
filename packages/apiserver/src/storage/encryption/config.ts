/**
 * `--encryption-provider-config`: apiserver.config.k8s.io/v1 `EncryptionConfiguration`, validated as
 * kube-apiserver validates it (k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go and
 * server/options/encryptionconfig/config.go), with its messages. tinykube supports the identity, aescbc,
 * aesgcm and secretbox providers; kms (which needs a plugin over gRPC) is refused.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const keySchema = z.strictObject({ name: z.string().default(''), secret: z.string().default('') });
export const keysConfigSchema = z.strictObject({ keys: z.array(keySchema).default([]) });

export const providerSchema = z.strictObject({
  identity: z.strictObject({}).optional(),
  aescbc: keysConfigSchema.optional(),
  aesgcm: keysConfigSchema.optional(),
  secretbox: keysConfigSchema.optional(),
  kms: z.record(z.string(), z.unknown()).optional(),
});

export const resourceConfigSchema = z.strictObject({
  /** `secrets`, `deployments.apps`, `*.apps`, `*.` (every core resource), `*.*` (everything) */
  resources: z.array(z.string()).default([]),
  /** the first one writes; all of them read */
  providers: z.array(providerSchema).default([]),
});

const AES_KEY_SIZES = [16, 24, 32];
const SECRETBOX_KEY_SIZES = [32];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const encryptionConfigurationSchema = z.strictObject({
  apiVersion: z.literal('apiserver.config.k8s.io/v1'),
  kind: z.literal('EncryptionConfiguration'),
  resources: z.array(resourceConfigSchema).default([]),
}).superRefine((c, ctx) => {
  const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (c.resources.length === 0) { add(['resources'], 'Required value: at least one resources is required'); return; }
  const seen = new Set<string>();
  c.resources.forEach((rc, i) => {
    const r = ['resources', i, 'resources'];
    const p = ['resources', i, 'providers'];
    if (rc.resources.length === 0) add(r, `Required value: at least one resources[${i}].resources is required`);
    validateResourceOverlap(rc.resources, r, add);
    validateResourceNames(rc.resources, r, add);
    if (rc.providers.length === 0) add(p, `Required value: at least one resources[${i}].providers is required`);
    rc.providers.forEach((prov, j) => {
      const set = (['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'] as const).filter((k) => prov[k] !== undefined);
      if (set.length === 0) { add([...p, j], 'Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity'); return; }
      if (set.length > 1) { add([...p, j], 'Invalid value: more than one provider specified in a single element, should split into different list elements'); return; }
      const kind = set[0];
      if (kind === 'kms') add([...p, j, 'kms'], 'Invalid value: the kms provider is not supported by tinykube');
      if (kind === 'aescbc' || kind === 'aesgcm') validateKeys(prov[kind]!.keys, [...p, j, kind, 'keys'], AES_KEY_SIZES, add);
      if (kind === 'secretbox') validateKeys(prov.secretbox!.keys, [...p, j, 'secretbox', 'keys'], SECRETBOX_KEY_SIZES, add);
    });
    // config.go: a later rule for a resource an earlier `*.group` or `*.*` rule covers would never apply
    for (const res of rc.resources) {
      const gr = parseGroupResource(res);
      for (const earlier of new Set([`${gr.group}/*`, '*/*'])) {
        if (seen.has(earlier)) {
          const [g, rr] = earlier.split('/');
          add(r, `Invalid value: resource ${JSON.stringify(grString(gr))} is masked by earlier rule ${JSON.stringify(grString({ group: g, resource: rr }))}`);
        }
      }
    }
    for (const res of rc.resources) { const gr = parseGroupResource(res); seen.add(`${gr.group}/${gr.resource}`); }
  });
});

export type EncryptionConfiguration = z.infer<typeof encryptionConfigurationSchema>;
export type ProviderConfiguration = z.infer<typeof providerSchema>;
export type EncryptionKey = z.infer<typeof keySchema>;

export interface GroupResource { group: string; resource: string }

/** kube's schema.ParseGroupResource: `deployments.apps` → {apps, deployments}; `secrets` → {'', secrets}. */
export function parseGroupResource(s: string): GroupResource {
  const i = s.indexOf('.');
  return i < 0 ? { group: '', resource: s } : { group: s.slice(i + 1), resource: s.slice(0, i) };
}

/** How the config file spells a group resource: `secrets`, `*.`, `*.apps`, `*.*`. */
export function grString(gr: GroupResource): string {
  if (gr.group === '' && gr.resource === '*') return '*.';
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

type Add = (path: PropertyKey[], message: string) => void;

function validateKeys(keys: EncryptionKey[], path: PropertyKey[], sizes: number[], add: Add): void {
  if (keys.length === 0) { add(path, 'Required value: at least one keys is required'); return; }
  keys.forEach((k, i) => {
    if (k.name === '') add([...path, i, 'name'], 'Required value: name is a mandatory field for a key');
    if (k.secret === '') { add([...path, i, 'secret'], 'Required value: secret is a mandatory field for a key'); return; }
    // the secret itself never appears in a message
    if (!BASE64.test(k.secret)) { add([...path, i, 'secret'], 'Invalid value: "REDACTED": secrets must be base64 encoded'); return; }
    const len = Buffer.from(k.secret, 'base64').length;
    if (!sizes.includes(len)) add([...path, i, 'secret'], `Invalid value: "REDACTED": secret is not of the expected length, got ${len}, expected one of [${sizes.join(' ')}]`);
  });
}

function validateResourceOverlap(resources: string[], path: PropertyKey[], add: Add): void {
  if (resources.length < 2) return;
  const grs = resources.map(parseGroupResource);
  let duplicate = false;
  let overlap = false;
  grs.forEach((a, i) => grs.forEach((b, j) => {
    if (i === j) return;
    if (a.group === b.group && a.resource === b.resource) { duplicate = true; return; }
    if ((a.group === '*' && a.resource === '*') || (a.group === b.group && (a.resource === '*' || b.resource === '*'))) overlap = true;
  }));
  const value = JSON.stringify(resources);
  if (duplicate) add(path, `Invalid value: ${value}: the same resource cannot be specified multiple times`);
  if (overlap) add(path, `Invalid value: ${value}: using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked`);
}

function validateResourceNames(resources: string[], path: PropertyKey[], add: Add): void {
  resources.forEach((res, j) => {
    const at = [...path, j];
    const bad = (why: string) => add(at, `Invalid value: ${JSON.stringify(res)}: ${why}`);
    const gr = parseGroupResource(res);
    if (res.toLowerCase() !== res) bad('resource name should not contain capital letters');
    else if (res === '*') bad("use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources");
    else if (['apiserveripinfo', 'serviceipallocations', 'servicenodeportallocations'].includes(res)) bad('resources which do not have REST API/s cannot be encrypted');
    else if (gr.group === 'events.k8s.io') bad("'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file");
    else if (gr.group === 'extensions') bad("'extensions' group has been removed and cannot be used for encryption");
    else if (gr.group === '*' && gr.resource !== '*') bad('encrypting the same resource across groups is not supported');
  });
}

/** Reads and validates the file; errors read like kube-apiserver's and never quote a key. */
export async function loadEncryptionConfig(file: string): Promise<EncryptionConfiguration> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`error reading encryption provider configuration file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  if (text.trim() === '') throw new Error(`encryption provider configuration file ${JSON.stringify(file)} is empty`);
  return parseEncryptionConfig(text, file);
}

export function parseEncryptionConfig(text: string, source = 'encryption provider configuration'): EncryptionConfiguration {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`error decoding encryption provider configuration file ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
  const res = encryptionConfigurationSchema.safeParse(doc, { reportInput: true });
  if (res.success) return res.data;
  const msgs = res.error.issues.map(describeIssue);
  throw new Error(`error while parsing encryption provider configuration file ${JSON.stringify(source)}: ${msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
  const at = field ? `${field}: ` : '';
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      // never echo the value: it may be a key
      return input === undefined ? `${at}Required value` : `${at}Invalid value: must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${at}Unsupported value: ${JSON.stringify(input)}: supported values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return issue.keys.map((k) => `strict decoding error: unknown field ${JSON.stringify(field ? `${field}.${k}` : k)}`).join(', ');
    default:
      return `${at}${issue.message}`;
  }
}
