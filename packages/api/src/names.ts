// Name, label and annotation syntax as Kubernetes checks it (apimachinery's validation package).
// Each check returns the list of messages Kubernetes would give (empty = valid), in its words.

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Total size of all annotation keys and values of one object. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function maxLen(n: number): string {
  return `must be no more than ${n} characters`;
}

/** One of apimachinery's name formats: its pattern, the sentence Kubernetes says when it is broken, examples. */
interface NameFormat { pattern: string; re: RegExp; maxLength?: number; rule: string; examples: string[] }

function nameFormat(pattern: string, maxLength: number | undefined, rule: string, examples: string[]): NameFormat {
  return { pattern, re: new RegExp(`^${pattern}$`), maxLength, rule, examples };
}

function regexError(f: NameFormat): string {
  const ex = f.examples.map((e) => `'${e}'`).join(',  or ');
  return `${f.rule} (e.g. ${ex}, regex used for validation is '${f.pattern}')`;
}

/** Kubernetes' messages for `value` against `f` (length first, then the pattern). */
function check(f: NameFormat, value: string): string[] {
  const errs: string[] = [];
  if (f.maxLength !== undefined && value.length > f.maxLength) errs.push(maxLen(f.maxLength));
  if (!f.re.test(value)) errs.push(regexError(f));
  return errs;
}

const FORMATS = {
  dns1123Label: nameFormat(DNS1123_LABEL, DNS1123_LABEL_MAX_LENGTH,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    ['my-name', '123-abc']),
  dns1123Subdomain: nameFormat(DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX_LENGTH,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    ['example.com']),
  dns1035Label: nameFormat(DNS1035_LABEL, DNS1123_LABEL_MAX_LENGTH,
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    ['my-name', 'abc-123']),
  qualifiedName: nameFormat(QUALIFIED_NAME, undefined,
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ['MyName', 'my.name', '123-abc']),
  qualifiedNamePart: nameFormat(QUALIFIED_NAME, undefined,
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ['MyName', 'my.name', '123-abc']),
  labelValue: nameFormat(LABEL_VALUE, LABEL_VALUE_MAX_LENGTH,
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ['MyValue', 'my_value', '12345']),
};

export const isDNS1123Label = (value: string): string[] => check(FORMATS.dns1123Label, value);
export const isDNS1123Subdomain = (value: string): string[] => check(FORMATS.dns1123Subdomain, value);
/** Service names are DNS-1035 labels: like DNS-1123 labels but starting with a letter. */
export const isDNS1035Label = (value: string): string[] => check(FORMATS.dns1035Label, value);
export const isValidLabelValue = (value: string): string[] => check(FORMATS.labelValue, value);

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [`${regexError(FORMATS.qualifiedName)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !FORMATS.qualifiedNamePart.re.test(name)) errs.push(`name part ${regexError(FORMATS.qualifiedNamePart)}`);
  return errs;
}

/** IANA service names (named container/service ports): ≤ 15 chars, a letter, no `--`. */
export function isValidPortName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes('--')) errs.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Kubernetes' name-suffix alphabet: no vowels (no accidental words) and no confusable 0/1/3. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const GENERATED_SUFFIX_LENGTH = 5;
/** Base names are cut so `base + suffix` stays a valid 63-character label. */
export const MAX_GENERATED_BASE_LENGTH = 63 - GENERATED_SUFFIX_LENGTH;

/** Random suffix for generateName / pod-template-hash-style names; `random` is injectable for tests. */
export function randomNameSuffix(length = GENERATED_SUFFIX_LENGTH, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_SUFFIX_ALPHABET[Math.floor(random() * NAME_SUFFIX_ALPHABET.length)];
  return out;
}

/** metadata.generateName → a concrete name, as the apiserver does on create. */
export function generateNameFrom(base: string, random: () => number = Math.random): string {
  const trimmed = base.length > MAX_GENERATED_BASE_LENGTH ? base.slice(0, MAX_GENERATED_BASE_LENGTH) : base;
  return trimmed + randomNameSuffix(GENERATED_SUFFIX_LENGTH, random);
}
