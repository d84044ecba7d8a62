import { describe, it, expect } from 'vitest';
import { errorString } from './field-errors.js';
import {
  isQualifiedName,
  isValidLabelValue,
  validateAnnotations,
  validateFinalizers,
  validateKubeFinalizerName,
  validateLabels,
  validateQualifiedName,
} from './object-meta-validation.js';
import { NAME_MSG, SUBDOMAIN_MSG, TOO_MANY_SLASHES, VALUE_MSG } from './validation-messages.fixture.js';

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
