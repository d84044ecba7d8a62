import { describe, it, expect } from 'vitest';
import { errorString } from './field-errors.js';
import {
  isQualifiedName,
  isValidLabelValue,
  newLabelRequirement,
  parseLabelSelector,
  validateAnnotations,
  validateFinalizers,
  validateKubeFinalizerName,
  validateLabels,
  validateQualifiedName,
} from './labels.js';

const NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const TOO_MANY_SLASHES =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

describe('isQualifiedName (upstream TestIsQualifiedName)', () => {
  const good = ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes', 'now.with.dots/now-with-dashes', 'now-with.dashes-and.dots/now-with-dashes', 'now-with-dashes/now.with.dots', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', 'a'.repeat(63), 'a'.repeat(253) + '/' + 'b'.repeat(63)];
  it.each(good)('accepts %s', (v) => expect(isQualifiedName(v)).toEqual([]));

  const bad: [string, string[]][] = [
    ['nospecialchars%^=@', [NAME_MSG]],
    ['cantendwithadash-', [NAME_MSG]],
    ['-cantstartwithadash-', [NAME_MSG]],
    ['only/one/slash', [TOO_MANY_SLASHES]],
    ['Example.com/abc', ['prefix part ' + SUBDOMAIN_MSG]],
    ['example_com/abc', ['prefix part ' + SUBDOMAIN_MSG]],
    ['example.com/', ['name part must be non-empty', NAME_MSG]],
    ['/simple', ['prefix part must be non-empty']],
    ['example.com/!code', [NAME_MSG]],
    ['', ['name part must be non-empty', NAME_MSG]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['a'.repeat(254) + '/abc', ['prefix part must be no more than 253 characters']],
  ];
  it.each(bad)('rejects %j', (v, want) => expect(isQualifiedName(v)).toEqual(want));
});

describe('isValidLabelValue', () => {
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), '', 'A_B.c'])('accepts %j', (v) => expect(isValidLabelValue(v)).toEqual([]));
  it.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.'])('rejects %j', (v) => expect(isValidLabelValue(v)).toEqual([VALUE_MSG]));
  it('reports length then regex', () => {
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isValidLabelValue('-'.repeat(64))).toEqual(['must be no more than 63 characters', VALUE_MSG]);
  });
});

describe('metadata validation', () => {
  it('validateLabels puts every error on the map path', () => {
    const errs = validateLabels({ 'a b': 'ok', good: 'bad value', 'x/': '' }, 'metadata.labels');
    expect(errs.map(errorString)).toEqual([
      `metadata.labels: Invalid value: "a b": ${NAME_MSG}`,
      `metadata.labels: Invalid value: "bad value": ${VALUE_MSG}`,
      'metadata.labels: Invalid value: "x/": name part must be non-empty',
      `metadata.labels: Invalid value: "x/": ${NAME_MSG}`,
    ]);
    expect(validateLabels(undefined, 'metadata.labels')).toEqual([]);
    expect(validateLabels({ 'app.kubernetes.io/name': 'x', tier: '' }, 'metadata.labels')).toEqual([]);
  });

  it('validateQualifiedName', () => {
    expect(validateQualifiedName('-x', 'f').map(errorString)).toEqual([`f: Invalid value: "-x": ${NAME_MSG}`]);
  });

  it('validateAnnotations lower-cases keys and caps the total size', () => {
    expect(validateAnnotations({ 'Example.COM/Key': 'v', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, 'metadata.annotations')).toEqual([]);
    expect(validateAnnotations({ 'a b': 'v' }, 'metadata.annotations').map(errorString)).toEqual([`metadata.annotations: Invalid value: "a b": ${NAME_MSG}`]);
    expect(validateAnnotations({ k: 'x'.repeat(262143) }, 'metadata.annotations')).toEqual([]);
    expect(validateAnnotations({ k: 'x'.repeat(262144) }, 'metadata.annotations').map(errorString)).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
    expect(validateAnnotations({ k: '\u00e9'.repeat(131072) }, 'metadata.annotations')).toHaveLength(1);
  });

  it('validateFinalizers (apimachinery ValidateFinalizers)', () => {
    expect(validateFinalizers(['example.com/cleanup', 'orphan', 'plain-name'], 'metadata.finalizers')).toEqual([]);
    expect(validateFinalizers(['a/b/c', 'x y'], 'metadata.finalizers').map(errorString)).toEqual([
      `metadata.finalizers: Invalid value: "a/b/c": ${TOO_MANY_SLASHES}`,
      `metadata.finalizers: Invalid value: "x y": ${NAME_MSG}`,
    ]);
    expect(validateFinalizers(['orphan', 'foregroundDeletion'], 'metadata.finalizers').map(errorString)).toEqual([
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  it('validateKubeFinalizerName (core types only)', () => {
    for (const ok of ['kubernetes', 'orphan', 'foregroundDeletion', 'example.com/x']) expect(validateKubeFinalizerName(ok, 'f')).toEqual([]);
    expect(validateKubeFinalizerName('cleanup', 'metadata.finalizers[0]').map(errorString)).toEqual([
      'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});

describe('parseLabelSelector: accepted syntax (upstream TestSelectorParse)', () => {
  const good = ['', 'x=a,y=b,z=c', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5', 'x in (a,b)', 'x notin (a)', 'x in ()', 'x in (,)', 'x in (a,,b)', 'in in (in)', 'notin notin (notin)', '  x  ,  y  ', 'x == y', 'a.b/c-d_e=v', 'x>-1'.replace('-1', '10')];
  it.each(good)('%j', (s) => expect(() => parseLabelSelector(s)).not.toThrow());

  it('parses requirements sorted by key, values sorted and de-duplicated', () => {
    const sel = parseLabelSelector('z notin (qux),x in (foo,bar,foo),y,!w,v==1,u!=2,t>3,s<4');
    expect(sel.requirements).toEqual([
      { key: 's', operator: 'lt', values: ['4'] },
      { key: 't', operator: 'gt', values: ['3'] },
      { key: 'u', operator: '!=', values: ['2'] },
      { key: 'v', operator: '==', values: ['1'] },
      { key: 'w', operator: '!', values: [] },
      { key: 'x', operator: 'in', values: ['bar', 'foo'] },
      { key: 'y', operator: 'exists', values: [] },
      { key: 'z', operator: 'notin', values: ['qux'] },
    ]);
    expect(sel.empty).toBe(false);
    expect(sel.toString()).toBe('s<4,t>3,u!=2,v==1,!w,x in (bar,foo),y,z notin (qux)');
  });

  it('empty selectors select everything', () => {
    for (const s of ['', ' ', '\t\n']) {
      const sel = parseLabelSelector(s);
      expect(sel.empty).toBe(true);
      expect(sel.matches({ a: 'b' })).toBe(true);
      expect(sel.matches(undefined)).toBe(true);
    }
  });

  it('empty values', () => {
    expect(parseLabelSelector('x=').requirements).toEqual([{ key: 'x', operator: '=', values: [''] }]);
    expect(parseLabelSelector('x in ()').requirements[0].values).toEqual(['']);
    expect(parseLabelSelector('x in (,a)').requirements[0].values).toEqual(['', 'a']);
    expect(parseLabelSelector('x in (a,)').requirements[0].values).toEqual(['', 'a']);
    expect(parseLabelSelector('x in (a,,b)').requirements[0].values).toEqual(['', 'a', 'b']);
  });
});

describe('parseLabelSelector: errors', () => {
  const keyErr = (k: string, msgs: string) => `unable to parse requirement: <nil>: Invalid value: "${k}": ${msgs}`;
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_MSG}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${VALUE_MSG}`],
    [
      'x>a-',
      `unable to parse requirement: [values[0]: Invalid value: "a-": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "a-": ${VALUE_MSG}]`,
    ],
    ['x>99999999999999999999', `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>=1', "unable to parse requirement: found '=', expected: identifier"],
    ['x=y z', "found 'z', expected: ',' or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['(x)', "found '(', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['x!y', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a,', "unable to parse requirement: found '', expected: ',', or identifier"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a b=c', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['-x', keyErr('-x', NAME_MSG)],
    ['a/b/c', keyErr('a/b/c', TOO_MANY_SLASHES)],
    ['A.com/x=1', keyErr('A.com/x', 'prefix part ' + SUBDOMAIN_MSG)],
    ['x/=1', keyErr('x/', `name part must be non-empty; ${NAME_MSG}`)],
    ['x=' + 'a'.repeat(64), `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['x in (a,-b)', `unable to parse requirement: values[0][x]: Invalid value: "-b": ${VALUE_MSG}`],
    ['x in (-b,-a)', `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${VALUE_MSG}, values[1][x]: Invalid value: "-b": ${VALUE_MSG}]`],
    ['k="v"', `unable to parse requirement: values[0][k]: Invalid value: "\\"v\\"": ${VALUE_MSG}`],
  ];
  it.each(cases)('%j', (s, msg) => {
    expect(() => parseLabelSelector(s)).toThrow(new Error(msg));
  });
});

describe('LabelSelector.matches (upstream TestSelectorMatches)', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', {}, false],
    ['x>1', { x: 'abc' }, false],
    ['x>1', { x: '+2' }, true],
    ['x<1', { x: '-5' }, true],
    ['x!=y', {}, true],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'a' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', {}, false],
    ['x=', { x: '' }, true],
    ['x in ()', { x: '' }, true],
    ['foo=bar', { foo: 'bar', baz: 'blah' }, true],
    ['baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=blah', { foo: 'bar', baz: 'blah' }, false],
    ['baz=bar', { foo: 'bar', baz: 'blah' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['constructor', {}, false],
    ['!constructor', {}, true],
  ];
  it.each(cases)('%j on %j -> %s', (s, labels, want) => {
    expect(parseLabelSelector(s).matches(labels)).toBe(want);
  });

  it('undefined labels behave as no labels', () => {
    expect(parseLabelSelector('!x').matches(undefined)).toBe(true);
    expect(parseLabelSelector('x').matches(null)).toBe(false);
  });
});

describe('newLabelRequirement (upstream TestRequirementConstructor)', () => {
  it('validates value counts', () => {
    expect(() => newLabelRequirement('x', 'in', [])).toThrow("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
    expect(() => newLabelRequirement('x', '=', ['a', 'b'])).toThrow('values: Invalid value: ["a","b"]: exact-match compatibility requires one single value');
    expect(() => newLabelRequirement('x', 'exists', ['a'])).toThrow('values: Invalid value: ["a"]: values set must be empty for exists and does not exist');
    expect(() => newLabelRequirement('-x', 'exists', [])).toThrow(`key: Invalid value: "-x": ${NAME_MSG}`);
    expect(() => newLabelRequirement('x', 'gt', ['1', '2'])).toThrow(`values: Invalid value: ["1","2"]: for 'Gt', 'Lt' operators, exactly one value is required`);
    expect(newLabelRequirement('x', 'lt', ['7'])).toEqual({ key: 'x', operator: 'lt', values: ['7'] });
  });
});
