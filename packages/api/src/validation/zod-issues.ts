import type { z } from 'zod';
import { type FieldCause, invalid, notSupported, required } from './field-errors.js';

// zod parse errors → Kubernetes causes, with Kubernetes field paths (`spec.containers[0].image`).

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['spec','containers',0,'image']` → `spec.containers[0].image`; odd keys (map keys) in brackets. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      if (PLAIN_KEY.test(s)) out += out === '' ? s : `.${s}`;
      else out += `[${s}]`;
    }
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  // IntOrString is the one union in the schemas: name it as Kubernetes' decoder would.
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    for (const sub of branch) if (sub.code === 'invalid_type' && sub.path.length === 0) expected.add(sub.expected);
  }
  const words = [...expected].map((e) => TYPE_WORDS[e] ?? e);
  return words.length > 0 ? `must be ${words.join(' or ')}` : 'invalid value';
}

export function issueToCauses(issue: z.core.$ZodIssue): FieldCause[] {
  const field = fieldPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return [required(field)];
      return [invalid(field, input, `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`)];
    case 'invalid_value':
      return [notSupported(field, input, issue.values.map((v) => String(v)))];
    case 'invalid_union':
      return [invalid(field, input, describeUnion(issue))];
    default:
      return [invalid(field, input, issue.message)];
  }
}
