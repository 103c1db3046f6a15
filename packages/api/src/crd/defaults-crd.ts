import type { CustomResourceDefinition } from '../schemas/apiextensions.js';

// SetDefaults_CustomResourceDefinition(Spec) of apiextensions/v1: singular and listKind from kind,
// conversion strategy None. Tolerates a malformed body (validation reports it).

export function defaultCustomResourceDefinition(crd: CustomResourceDefinition): void {
  const spec = crd.spec as Partial<CustomResourceDefinition['spec']> | undefined;
  if (!spec || typeof spec !== 'object') return;
  const names = spec.names;
  if (names && typeof names === 'object' && typeof names.kind === 'string') {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}
