import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../names.js';
import type { CustomResourceDefinition } from '../schemas/apiextensions.js';
import { child, duplicate, forbidden, index, invalid, notSupported, required, type FieldCause } from '../validation/field-errors.js';
import { validateStructural } from './structural.js';

// Validation of a CustomResourceDefinition itself (apiextensions-apiserver pkg/apis/apiextensions/validation),
// the rules tinykube enforces, with kube's field paths and messages.

function labelErrors(field: string, value: string | undefined, check: (v: string) => string[]): FieldCause[] {
  if (!value) return [required(field, '')];
  return check(value).map((m) => invalid(field, value, m));
}

export function validateCustomResourceDefinition(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldCause[] {
  const out: FieldCause[] = [];
  const spec = crd.spec;
  const names = spec.names;
  const wantName = `${names.plural}.${spec.group}`;
  if (crd.metadata.name !== wantName) out.push(invalid('metadata.name', crd.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) out.push(required('spec.group', ''));
  else {
    out.push(...isDNS1123Subdomain(spec.group).map((m) => invalid('spec.group', spec.group, m)));
    if (!spec.group.includes('.')) out.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') out.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  out.push(...labelErrors('spec.names.plural', names.plural, isDNS1123Label));
  if (names.singular !== undefined) out.push(...labelErrors('spec.names.singular', names.singular, isDNS1123Label));
  if (!names.kind) out.push(required('spec.names.kind', ''));
  else if (names.kind.toLowerCase() !== names.kind && isDNS1035Label(names.kind.toLowerCase()).length > 0) {
    out.push(invalid('spec.names.kind', names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  }
  (names.shortNames ?? []).forEach((s, i) => out.push(...labelErrors(index('spec.names.shortNames', i), s, isDNS1123Label)));
  (names.categories ?? []).forEach((s, i) => out.push(...labelErrors(index('spec.names.categories', i), s, isDNS1123Label)));
  const strategy = spec.conversion?.strategy ?? 'None';
  if (strategy !== 'None') out.push(notSupported('spec.conversion.strategy', strategy, ['None']));
  out.push(...validateVersions(crd));
  if (old && old.spec.scope !== spec.scope) out.push(invalid('spec.scope', spec.scope, 'field is immutable'));
  if (old && old.spec.names.plural !== names.plural) out.push(invalid('spec.names.plural', names.plural, 'field is immutable'));
  if (old && old.spec.group !== spec.group) out.push(invalid('spec.group', spec.group, 'field is immutable'));
  return out;
}

function validateVersions(crd: CustomResourceDefinition): FieldCause[] {
  const out: FieldCause[] = [];
  const versions = crd.spec.versions;
  if (versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const seen = new Set<string>();
  let storage = 0;
  versions.forEach((v, i) => {
    const path = index('spec.versions', i);
    out.push(...labelErrors(child(path, 'name'), v.name, isDNS1035Label));
    if (seen.has(v.name)) out.push(duplicate(child(path, 'name'), v.name));
    seen.add(v.name);
    if (v.storage) storage++;
    const schemaPath = child(child(path, 'schema'), 'openAPIV3Schema');
    out.push(...validateStructural(v.schema?.openAPIV3Schema, schemaPath));
    const scale = v.subresources?.scale;
    if (scale) {
      const sp = child(child(path, 'subresources'), 'scale');
      if (!scale.specReplicasPath?.startsWith('.spec.')) out.push(invalid(child(sp, 'specReplicasPath'), scale.specReplicasPath, 'should be a json path under .spec'));
      if (!scale.statusReplicasPath?.startsWith('.status.')) out.push(invalid(child(sp, 'statusReplicasPath'), scale.statusReplicasPath, 'should be a json path under .status'));
      if (scale.labelSelectorPath !== undefined && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
        out.push(invalid(child(sp, 'labelSelectorPath'), scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
      }
    }
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = index(child(path, 'additionalPrinterColumns'), j);
      if (!c.name) out.push(required(child(cp, 'name'), ''));
      if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) {
        out.push(notSupported(child(cp, 'type'), c.type, ['boolean', 'date', 'integer', 'number', 'string']));
      }
      if (!c.jsonPath) out.push(required(child(cp, 'JSONPath'), ''));
    });
  });
  if (storage !== 1) out.push(invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) out.push(forbidden('spec.versions', 'must have at least one version served'));
  return out;
}
