import { describe, it, expect } from 'vitest';
import { newLabelRequirement, parseLabelSelector } from './label-selector.js';
import { NAME_MSG, SUBDOMAIN_MSG, TOO_MANY_SLASHES, VALUE_MSG } from './validation-messages.fixture.js';

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
