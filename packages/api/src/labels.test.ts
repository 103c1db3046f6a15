import { describe, expect, it } from 'vitest';
import {
  LabelSelectorError,
  Selector,
  formatLabelSelector,
  labelKeyErrors,
  labelSelectorAsSelector,
  labelSelectorAsSelectorOrError,
  labelSelectorAsSelectorOrNothing,
  labelSelectorMatches,
  labelValueErrors,
  labelsMatchSelectorMap,
  newRequirement,
  nodeSelectorRequirementsAsSelector,
  parseLabelSelector,
  parseLabelSelectorOrError,
  selectorFromSet,
  validatedSelectorFromSet,
} from './labels.js';

const sel = parseLabelSelector;

describe('parseLabelSelector', () => {
  it('parses every operator and sorts requirements by key', () => {
    const s = sel('a=b,c!=d,e in (y,x),f notin (z),g,!h,i==j');
    expect(s.requirements.map((r) => [r.key, r.operator, r.values])).toEqual([
      ['a', '=', ['b']],
      ['c', '!=', ['d']],
      ['e', 'in', ['x', 'y']],
      ['f', 'notin', ['z']],
      ['g', 'exists', []],
      ['h', '!', []],
      ['i', '==', ['j']],
    ]);
    expect(s.toString()).toBe('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j');
  });

  it.each([
    ['', ''],
    ['x=a', 'x=a'],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,x=a', 'x=a,z=c'],
    ['  x = a , y != b ', 'x=a,y!=b'],
    ['x in (a)', 'x in (a)'],
    ['x in (a,b,b)', 'x in (a,b)'],
    ['x notin(a)', 'x notin (a)'],
    ['x in ()', 'x in ()'],
    ['x in (,a)', 'x in (,a)'],
    ['x in (a,)', 'x in (,a)'],
    ['x=', 'x='],
    ['x=,z= ', 'x=,z='],
    ['x in (in),y=notin', 'x in (in),y=notin'],
    ['example.com/app=web', 'example.com/app=web'],
    ['x>1', 'x>1'],
    ['x<10', 'x<10'],
    ['!x', '!x'],
    ['x,!y', 'x,!y'],
  ])('%j round-trips as %j', (input, expected) => {
    expect(sel(input).toString()).toBe(expected);
  });

  it.each([
    ['x=a||y=b', /a valid label must be/],
    ['x<-1', /a valid label must be/],
    ['x>=1', /found '=', expected: identifier/],
    ['x==a==b', /found '==', expected: ',' or 'end of string'/],
    ['!x=a', /found '=', expected: ',' or 'end of string'/],
    ['x=a,', /expected: identifier after ','/],
    [',x=a', /found ',', expected: !, identifier, or 'end of string'/],
    ['x in a', /expected: '\('/],
    ['x in (a', /expected: ',' or '\)'/],
    ['x in (a b)', /found 'b', expected: ',' or '\)'/],
    ['x (a)', /expected: in, notin, =, ==, !=, gt, lt/],
    ['x=(a)', /found '\(', expected: identifier/],
    ['x>a', /the value must be an integer/],
    ['-x=a', /name part must consist of alphanumeric characters/],
    ['x=-a', /a valid label must be an empty string/],
    ['a/b/c=d', /a qualified name must consist/],
    ['UPPER.com/x=a', /prefix part a lowercase RFC 1123 subdomain/],
    [`x=${'a'.repeat(64)}`, /must be no more than 63 characters/],
    [`${'a'.repeat(64)}=x`, /name part must be no more than 63 characters/],
    ['x)', /found '\)', expected: in, notin/],
  ])('%j is rejected: %s', (input, message) => {
    const err = parseLabelSelectorOrError(input);
    expect(err).toBeInstanceOf(LabelSelectorError);
    expect((err as LabelSelectorError).message).toMatch(message);
    expect(() => sel(input)).toThrow(LabelSelectorError);
  });

  it('wraps requirement errors like Kubernetes does', () => {
    const err = parseLabelSelectorOrError('x=-a') as LabelSelectorError;
    expect(err.message).toMatch(/^unable to parse requirement: values\[0\]\[x\]: Invalid value: "-a"/);
    expect(err.code).toBe('LabelSelectorInvalid');
    expect((parseLabelSelectorOrError('x in a') as LabelSelectorError).code).toBe('LabelSelectorSyntax');
  });
});

describe('Selector.matches', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['version>2', true],
    ['version>3', false],
    ['version<4', true],
    ['app>1', false],
    ['missing<1', false],
    ['missing=', false],
  ])('%j → %s', (selector, expected) => {
    expect(sel(selector).matches(labels)).toBe(expected);
  });

  it('treats missing labels as an empty set', () => {
    expect(sel('!a').matches(undefined)).toBe(true);
    expect(sel('a').matches(null)).toBe(false);
    expect(sel('').matches(undefined)).toBe(true);
  });

  it('does not see inherited properties as labels', () => {
    expect(sel('constructor').matches({})).toBe(false);
    expect(sel('toString=x').matches({})).toBe(false);
    expect(sel('constructor in (toString)').matches({ constructor: 'toString' })).toBe(true);
  });

  it('reports emptiness and exact matches', () => {
    expect(sel('').isEmpty()).toBe(true);
    expect(Selector.everything().isEmpty()).toBe(true);
    expect(Selector.nothing().isEmpty()).toBe(false);
    expect(Selector.nothing().matches({})).toBe(false);
    expect(Selector.nothing().matchesNothing()).toBe(true);
    expect(sel('a=b,c in (d)').requiresExactMatch('a')).toBe('b');
    expect(sel('c in (d)').requiresExactMatch('c')).toBe('d');
    expect(sel('c in (d,e)').requiresExactMatch('c')).toBeUndefined();
    expect(sel('a!=b').requiresExactMatch('a')).toBeUndefined();
  });

  it('adds requirements', () => {
    const s = sel('b=1').add(newRequirement('a', 'exists', []));
    expect(s.toString()).toBe('a,b=1');
    expect(Selector.nothing().add(newRequirement('a', 'exists', [])).matchesNothing()).toBe(true);
  });
});

describe('metav1.LabelSelector objects', () => {
  it('combines matchLabels and matchExpressions', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    });
    expect(s.toString()).toBe('app=web,env notin (prod),!legacy,team,tier in (edge,front)');
    expect(s.matches({ app: 'web', tier: 'edge', team: 'a' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'edge', team: 'a', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'edge', team: 'a', legacy: '1' })).toBe(false);
  });

  it('null matches nothing and {} matches everything', () => {
    expect(labelSelectorAsSelector(null).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorAsSelector(undefined).matchesNothing()).toBe(true);
    expect(labelSelectorAsSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).isEmpty()).toBe(true);
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /values set can't be empty/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /values set must be empty/],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, /Unsupported value: "Gt"/],
    [{ matchLabels: { 'bad key': 'x' } }, /name part must consist/],
    [{ matchLabels: { a: 'bad value' } }, /a valid label must be/],
  ])('rejects %j', (input, message) => {
    const err = labelSelectorAsSelectorOrError(input);
    expect(err).toBeInstanceOf(LabelSelectorError);
    expect((err as LabelSelectorError).message).toMatch(message);
  });

  it('formats like kubectl', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(null)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] })).toBe('<error>');
  });
});

describe('labelSelectorMatches (structured metav1.LabelSelector)', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it.each<[string, Parameters<typeof labelSelectorMatches>[0], boolean]>([
    ['{} selects everything', {}, true],
    ['null selects nothing', null, false],
    ['undefined selects nothing', undefined, false],
    ['matchLabels hit', { matchLabels: { app: 'web' } }, true],
    ['matchLabels miss', { matchLabels: { app: 'db' } }, false],
    ['matchLabels missing key', { matchLabels: { zone: 'a' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['In miss', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    ['NotIn hit', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] }, true],
    ['NotIn on a missing key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['NotIn miss', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['matchLabels AND matchExpressions', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    ['Gt is not a label selector operator: invalid, selects nothing', { matchExpressions: [{ key: 'n', operator: 'Gt', values: ['1'] }] }, false],
    ['Lt is not a label selector operator: invalid, selects nothing', { matchExpressions: [{ key: 'n', operator: 'Lt', values: ['9'] }] }, false],
    ['an unknown operator selects nothing', { matchExpressions: [{ key: 'app', operator: 'Has' }] }, false],
    ['In without values is invalid', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, false],
    ['a bad key is invalid', { matchLabels: { 'a b': 'web' } }, false],
  ])('%s', (_name, selector, want) => {
    expect(labelSelectorMatches(selector, labels)).toBe(want);
  });

  it('does not read inherited properties as labels', () => {
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(false);
  });

  it('labelSelectorAsSelectorOrNothing turns errors into nothing', () => {
    expect(labelSelectorAsSelectorOrNothing({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }).matchesNothing()).toBe(true);
    expect(labelSelectorAsSelectorOrNothing({}).isEmpty()).toBe(true);
  });
});

describe('node selector requirements', () => {
  it('supports Gt and Lt on integer label values', () => {
    const s = nodeSelectorRequirementsAsSelector([
      { key: 'cpus', operator: 'Gt', values: ['4'] },
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
    ]);
    expect(s.matches({ cpus: '8', zone: 'a' })).toBe(true);
    expect(s.matches({ cpus: '4', zone: 'a' })).toBe(false);
    expect(s.matches({ cpus: 'many', zone: 'a' })).toBe(false);
    expect(nodeSelectorRequirementsAsSelector([{ key: 'x', operator: 'Lt', values: ['10'] }]).matches({ x: '9' })).toBe(true);
    expect(nodeSelectorRequirementsAsSelector([]).matches({})).toBe(false);
    expect(() => nodeSelectorRequirementsAsSelector([{ key: 'x', operator: 'Gt', values: ['a'] }])).toThrow(/must be an integer/);
    // Beyond 15 digits values compare exactly (as bigints), also against short bounds.
    const big = nodeSelectorRequirementsAsSelector([{ key: 'n', operator: 'Gt', values: ['9007199254740992'] }]);
    expect(big.matches({ n: '9007199254740993' })).toBe(true);
    expect(big.matches({ n: '9007199254740992' })).toBe(false);
    expect(big.matches({ n: '12' })).toBe(false);
    expect(nodeSelectorRequirementsAsSelector([{ key: 'n', operator: 'Lt', values: ['5'] }]).matches({ n: '12345678901234567890' })).toBe(false);
    expect(nodeSelectorRequirementsAsSelector([{ key: 'n', operator: 'Lt', values: ['5'] }]).matches({ n: '-3' })).toBe(true);
  });
});

describe('map selectors', () => {
  it('selectorFromSet requires every pair', () => {
    const s = selectorFromSet({ b: '2', a: '1' });
    expect(s.toString()).toBe('a=1,b=2');
    expect(s.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(s.matches({ a: '1' })).toBe(false);
    expect(selectorFromSet({}).isEmpty()).toBe(true);
    expect(selectorFromSet(undefined).matches({ x: 'y' })).toBe(true);
    expect(() => validatedSelectorFromSet({ a: '-' })).toThrow(LabelSelectorError);
  });

  it('labelsMatchSelectorMap: Service semantics, empty selects nothing', () => {
    expect(labelsMatchSelectorMap({ app: 'web' }, { app: 'web', x: 'y' })).toBe(true);
    expect(labelsMatchSelectorMap({ app: 'web' }, { app: 'db' })).toBe(false);
    expect(labelsMatchSelectorMap({ app: 'web' }, undefined)).toBe(false);
    expect(labelsMatchSelectorMap({}, { app: 'web' })).toBe(false);
    expect(labelsMatchSelectorMap(undefined, { app: 'web' })).toBe(false);
    expect(labelsMatchSelectorMap({ app: '' }, { app: '' })).toBe(true);
  });
});

describe('label key and value validation', () => {
  it.each(['a', 'A-b_c.d', 'example.com/x', 'kubernetes.io/hostname', '1'])('key %j is valid', (k) => {
    expect(labelKeyErrors(k)).toEqual([]);
  });
  it.each(['', '-a', 'a-', '/a', 'a/', 'a b', 'Example.com/x', `${'a'.repeat(254)}/x`])('key %j is invalid', (k) => {
    expect(labelKeyErrors(k).length).toBeGreaterThan(0);
  });
  it('values', () => {
    expect(labelValueErrors('')).toEqual([]);
    expect(labelValueErrors('v1.2_3-x')).toEqual([]);
    expect(labelValueErrors('a'.repeat(63))).toEqual([]);
    expect(labelValueErrors('a'.repeat(64)).length).toBe(1);
    expect(labelValueErrors('a b').length).toBe(1);
  });
});
