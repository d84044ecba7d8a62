import { describe, it, expect } from 'vitest';
import { applyMergePatch, applyStrategicMergePatch, PatchApplyError } from './strategic-merge.js';

const j = (s: string): unknown => JSON.parse(s);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

function expectPatchError(fn: () => unknown, message: string, code: number): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PatchApplyError);
  expect((err as PatchApplyError).message).toBe(message);
  expect((err as PatchApplyError).code).toBe(code);
}

describe('applyStrategicMergePatch: merge-patch behaviour of an untagged type', () => {
  const cases: [string, string, string, string][] = [
    ['scalars replace', '{"a":1,"b":"x"}', '{"b":"y","c":true}', '{"a":1,"b":"y","c":true}'],
    ['maps merge recursively', '{"spec":{"a":1,"b":{"c":2,"d":3}}}', '{"spec":{"b":{"c":null,"e":4}}}', '{"spec":{"a":1,"b":{"d":3,"e":4}}}'],
    ['null deletes', '{"a":1,"b":2}', '{"a":null}', '{"b":2}'],
    ['null for a missing key is ignored', '{"a":1}', '{"x":null}', '{"a":1}'],
    ['lists are replaced wholesale', '{"spec":{"endpoints":[{"fqdn":"a.com"},{"ip":"1.2.3.4"}]}}', '{"spec":{"endpoints":[{"fqdn":"b.com"}]}}', '{"spec":{"endpoints":[{"fqdn":"b.com"}]}}'],
    ['empty list replaces', '{"l":[1,2]}', '{"l":[]}', '{"l":[]}'],
    ['nulls inside a new subtree are dropped', '{}', '{"a":{"b":null,"c":{"d":null,"e":1}}}', '{"a":{"c":{"e":1}}}'],
    ['nulls inside a type-changed value are dropped', '{"a":"x"}', '{"a":{"b":null,"d":1}}', '{"a":{"d":1}}'],
    ['a map replaces a scalar, a scalar a map', '{"a":{"b":1},"c":"x"}', '{"a":"s","c":{"d":2}}', '{"a":"s","c":{"d":2}}'],
    ['null list elements are kept', '{}', '{"l":[null,1]}', '{"l":[null,1]}'],
    ['original nulls are replaced', '{"a":null}', '{"a":{"b":1,"c":null}}', '{"a":{"b":1}}'],
    ['labels map', '{"metadata":{"labels":{"a":"1","b":"2"}}}', '{"metadata":{"labels":{"a":null,"c":"3"}}}', '{"metadata":{"labels":{"b":"2","c":"3"}}}'],
    ['empty patch', '{"a":1}', '{}', '{"a":1}'],
    ['status conditions replaced', '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}', '{"status":{"conditions":[{"type":"Synced","status":"False"}]}}', '{"status":{"conditions":[{"type":"Synced","status":"False"}]}}'],
  ];
  it.each(cases)('%s', (_name, original, patch, want) => {
    expect(applyStrategicMergePatch(j(original), j(patch))).toEqual(j(want));
  });

  it('a null patch leaves the object as it was; a non-object original starts empty', () => {
    expect(applyStrategicMergePatch({ a: 1 }, null)).toEqual({ a: 1 });
    expect(applyStrategicMergePatch(null, { a: 1 })).toEqual({ a: 1 });
  });

  it('rejects non-object patches like json.Unmarshal into map[string]interface{}', () => {
    expectPatchError(() => applyStrategicMergePatch({}, []), 'json: cannot unmarshal array into Go value of type map[string]interface {}', 400);
    expectPatchError(() => applyStrategicMergePatch({}, 'x'), 'json: cannot unmarshal string into Go value of type map[string]interface {}', 400);
    expectPatchError(() => applyStrategicMergePatch({}, 5), 'json: cannot unmarshal number into Go value of type map[string]interface {}', 400);
    expectPatchError(() => applyStrategicMergePatch({}, true), 'json: cannot unmarshal bool into Go value of type map[string]interface {}', 400);
  });
});

describe('applyStrategicMergePatch: $patch', () => {
  const cases: [string, string, string, string][] = [
    ['replace on a map', '{"spec":{"a":1,"b":{"c":2}},"x":1}', '{"spec":{"$patch":"replace","b":{"d":3}}}', '{"spec":{"b":{"d":3}},"x":1}'],
    ['replace keeps the patch verbatim (nulls included)', '{"spec":{"a":1}}', '{"spec":{"$patch":"replace","b":null}}', '{"spec":{"b":null}}'],
    ['delete on a map empties it', '{"spec":{"a":1},"x":1}', '{"spec":{"$patch":"delete"}}', '{"spec":{},"x":1}'],
    ['delete on an absent map adds nothing', '{"x":1}', '{"spec":{"$patch":"delete"}}', '{"x":1}'],
    ['replace on an absent map adds nothing (removeDirectives)', '{"x":1}', '{"spec":{"$patch":"replace","a":1}}', '{"x":1}'],
    ['directive maps inside new values are dropped', '{}', '{"a":{"b":{"$patch":"delete"},"c":1},"l":[{"$patch":"delete"},1]}', '{"a":{"c":1},"l":[1]}'],
    ['directives inside a replaced list are kept verbatim', '{"l":[1]}', '{"l":[{"$patch":"delete"}]}', '{"l":[{"$patch":"delete"}]}'],
    ['top-level replace', '{"a":1,"b":2}', '{"$patch":"replace","c":3}', '{"c":3}'],
    ['top-level delete', '{"a":1}', '{"$patch":"delete"}', '{}'],
    ['a $patch map replacing a scalar is dropped', '{"a":"x","b":1}', '{"a":{"$patch":"replace","c":1}}', '{"b":1}'],
  ];
  it.each(cases)('%s', (_name, original, patch, want) => {
    expect(applyStrategicMergePatch(j(original), j(patch))).toEqual(j(want));
  });

  it('an unknown $patch value fails like mergepatch.ErrBadPatchType', () => {
    expectPatchError(() => applyStrategicMergePatch(j('{"spec":{"a":1}}'), j('{"spec":{"$patch":"merge","b":1}}')), 'unknown patch type: merge in map: map[$patch:merge b:1]', 500);
    expectPatchError(() => applyStrategicMergePatch({}, j('{"$patch":"x"}')), 'unknown patch type: x in map: map[$patch:x]', 500);
    expectPatchError(() => applyStrategicMergePatch({}, j('{"$patch":1,"z":[1,"a",null],"a":{"b":true}}')), 'unknown patch type: %!s(int64=1) in map: map[$patch:1 a:map[b:true] z:[1 a <nil>]]', 500);
    expectPatchError(() => applyStrategicMergePatch({}, j('{"$patch":null}')), 'unknown patch type: %!s(<nil>) in map: map[$patch:<nil>]', 500);
    expectPatchError(() => applyStrategicMergePatch({}, j('{"$patch":1.5,"f":1e21,"g":0.00001}')), 'unknown patch type: %!s(float64=1.5) in map: map[$patch:1.5 f:1e+21 g:1e-05]', 500);
  });
});

describe('applyStrategicMergePatch: $retainKeys', () => {
  it('keeps only the listed keys, then merges', () => {
    expect(applyStrategicMergePatch(j('{"spec":{"a":1,"b":2,"c":3}}'), j('{"spec":{"$retainKeys":["a","b"],"b":5}}'))).toEqual(j('{"spec":{"a":1,"b":5}}'));
    expect(applyStrategicMergePatch(j('{"a":1,"b":2}'), j('{"$retainKeys":[]}'))).toEqual({});
    expect(applyStrategicMergePatch(j('{"spec":{"a":1,"c":3}}'), j('{"spec":{"$retainKeys":["a"],"c":null}}'))).toEqual(j('{"spec":{"a":1}}'));
  });
  it('rejects patch keys missing from the list and non-list values', () => {
    expectPatchError(() => applyStrategicMergePatch(j('{"spec":{}}'), j('{"spec":{"$retainKeys":["a"],"b":1}}')), 'invalid patch format of retainKeys', 400);
    expectPatchError(() => applyStrategicMergePatch(j('{"spec":{}}'), j('{"spec":{"$retainKeys":"a"}}')), 'invalid patch format of retainKeys', 400);
  });
  it('stays in a newly added map (only $patch maps are removed there)', () => {
    expect(applyStrategicMergePatch({}, j('{"spec":{"$retainKeys":["a"],"a":1}}'))).toEqual(j('{"spec":{"$retainKeys":["a"],"a":1}}'));
  });
});

describe('applyStrategicMergePatch: $deleteFromPrimitiveList', () => {
  const cases: [string, string, string, string][] = [
    ['removes values', '{"metadata":{"finalizers":["a","b","c","b"]}}', '{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}', '{"metadata":{"finalizers":["a","c"]}}'],
    ['absent list stays absent', '{"metadata":{}}', '{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}', '{"metadata":{}}'],
    ['non-list original is left alone', '{"x":"s"}', '{"$deleteFromPrimitiveList/x":["s"]}', '{"x":"s"}'],
    ['null deletes the field', '{"x":["a"]}', '{"$deleteFromPrimitiveList/x":null}', '{}'],
    ['both empty', '{"x":[]}', '{"$deleteFromPrimitiveList/x":[]}', '{"x":[]}'],
    ['numbers', '{"x":[1,2,3]}', '{"$deleteFromPrimitiveList/x":[2]}', '{"x":[1,3]}'],
  ];
  it.each(cases)('%s', (_name, original, patch, want) => {
    expect(applyStrategicMergePatch(j(original), j(patch))).toEqual(j(want));
  });
  it('errors', () => {
    expectPatchError(() => applyStrategicMergePatch(j('{"x":["a"]}'), j('{"$deleteFromPrimitiveListx":["a"]}')), 'invalid patch format of primitive list', 400);
    expectPatchError(() => applyStrategicMergePatch(j('{"x":["a",1]}'), j('{"$deleteFromPrimitiveList/x":["b"]}')), 'list element types are not identical: [[a 1] [b]]', 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"x":[{"a":1}]}'), j('{"$deleteFromPrimitiveList/x":[{"a":1}]}')), 'cannot merge lists without merge key for struct', 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"x":[["a"]]}'), j('{"$deleteFromPrimitiveList/x":[["a"]]}')), 'lists of lists are not supported', 422);
  });
});

describe('applyStrategicMergePatch: $setElementOrder on a list without merge strategy', () => {
  const cases: [string, string, string, string][] = [
    ['orders the live list', '{"l":["a","b","c"]}', '{"$setElementOrder/l":["c","a","b"]}', '{"l":["c","a","b"]}'],
    ['the replacing list keeps its (validated) order', '{"l":["a","b"]}', '{"l":["x","y"],"$setElementOrder/l":["w","x","v","y"]}', '{"l":["x","y"]}'],
    ['live items missing from the order list come first', '{"l":["a","b","c"]}', '{"$setElementOrder/l":["c","a"]}', '{"l":["b","c","a"]}'],
    ['new list', '{}', '{"l":["x","y"],"$setElementOrder/l":["x","y"]}', '{"l":["x","y"]}'],
    ['nothing to order: the directive just goes', '{"a":1}', '{"$setElementOrder/l":["x"]}', '{"a":1}'],
  ];
  it.each(cases)('%s', (_name, original, patch, want) => {
    expect(applyStrategicMergePatch(j(original), j(patch))).toEqual(j(want));
  });
  it('errors', () => {
    expectPatchError(() => applyStrategicMergePatch(j('{"l":["a"]}'), j('{"$setElementOrder/l":"a"}')), 'expected a []interface {}, but received a string', 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"l":["a"]}'), j('{"$setElementOrder":["a"]}')), 'invalid patch format of setElementOrder list', 400);
    expectPatchError(() => applyStrategicMergePatch(j('{"l":"a"}'), j('{"$setElementOrder/l":["a"]}')), 'expected a []interface {}, but received a string', 500);
    expectPatchError(() => applyStrategicMergePatch(j('{}'), j('{"l":["a","b"],"$setElementOrder/l":["b"]}')), "the order in patch list:\n[a b]\n doesn't match $setElementOrder list:\n[b]", 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"l":["a"]}'), j('{"l":["x","y"],"$setElementOrder/l":["y","x"]}')), "the order in patch list:\n[x y]\n doesn't match $setElementOrder list:\n[y x]", 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"l":[]}'), j('{"$setElementOrder/l":[]}')), 'no elements in any of the given slices', 500);
    expectPatchError(() => applyStrategicMergePatch(j('{"l":[{"a":1}]}'), j('{"$setElementOrder/l":[{"a":1}]}')), 'runtime error: hash of unhashable type map[string]interface {}', 500);
  });
  it('sorts stably beyond one insertion-sort block', () => {
    const live = Array.from({ length: 45 }, (_, i) => `k${i}`);
    const order = [...live].reverse();
    const out = applyStrategicMergePatch({ l: live }, { '$setElementOrder/l': order }) as { l: string[] };
    expect(out.l).toEqual(order);
  });
});

describe('applyStrategicMergePatch: purity and prototype safety', () => {
  it('never mutates its inputs', () => {
    const original = deepFreeze(j('{"spec":{"a":1,"l":["a","b"],"m":{"x":1}},"metadata":{"finalizers":["a","b"]}}'));
    const patch = deepFreeze(
      j('{"spec":{"a":null,"l":["c"],"m":{"$patch":"replace","y":2},"n":{"z":null,"w":{"$patch":"delete"}}},"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},"$retainKeys":["spec","metadata"]}'),
    );
    const before = [JSON.stringify(original), JSON.stringify(patch)];
    const out = applyStrategicMergePatch(original, patch);
    expect([JSON.stringify(original), JSON.stringify(patch)]).toEqual(before);
    expect(out).toEqual(j('{"spec":{"l":["c"],"m":{"y":2},"n":{}},"metadata":{"finalizers":["b"]}}'));
    (out as { spec: { l: string[] } }).spec.l.push('mutated');
    expect(JSON.stringify(patch)).toBe(before[1]);
  });

  it('{"__proto__":{"polluted":1}} is plain data', () => {
    const out = applyStrategicMergePatch({ a: 1 }, j('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"a":1,"__proto__":{"polluted":1}}');
  });

  it('merges into an existing "__proto__" data key and handles constructor/prototype keys', () => {
    const original = j('{"__proto__":{"a":1}}');
    const out = applyStrategicMergePatch(original, j('{"__proto__":{"b":2},"constructor":{"prototype":{"polluted":1}}}')) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"__proto__":{"a":1,"b":2},"constructor":{"prototype":{"polluted":1}}}');
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).b).toBeUndefined();
    expect(applyStrategicMergePatch({}, j('{"toString":null,"constructor":null}'))).toEqual({});
  });
});

describe('applyMergePatch (evanphx/json-patch v4 MergePatch; RFC 7386 appendix A)', () => {
  const rfc: [string, string, string][] = [
    ['{"a":"b"}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"b"}', '{"b":"c"}', '{"a":"b","b":"c"}'],
    ['{"a":"b"}', '{"a":null}', '{}'],
    ['{"a":"b","b":"c"}', '{"a":null}', '{"b":"c"}'],
    ['{"a":["b"]}', '{"a":"c"}', '{"a":"c"}'],
    ['{"a":"c"}', '{"a":["b"]}', '{"a":["b"]}'],
    ['{"a":{"b":"c"}}', '{"a":{"b":"d","c":null}}', '{"a":{"b":"d"}}'],
    ['{"a":[{"b":"c"}]}', '{"a":[1]}', '{"a":[1]}'],
    ['["a","b"]', '["c","d"]', '["c","d"]'],
    ['{"a":"b"}', '["c"]', '["c"]'],
    ['{"e":null}', '{"a":1}', '{"e":null,"a":1}'],
    ['[1,2]', '{"a":"b","c":null}', '{"a":"b"}'],
    ['{}', '{"a":{"bb":{"ccc":null}}}', '{"a":{"bb":{}}}'],
  ];
  it.each(rfc)('%s + %s', (original, patch, want) => {
    expect(applyMergePatch(j(original), j(patch))).toEqual(j(want));
  });

  it('departs from the RFC where the apiserver library does', () => {
    expectPatchError(() => applyMergePatch({ a: 'foo' }, null), 'Invalid JSON Patch', 400);
    expectPatchError(() => applyMergePatch({ a: 'foo' }, 'bar'), 'Invalid JSON Patch', 400);
    expectPatchError(() => applyMergePatch(null, { a: 1 }), 'Invalid JSON Document', 400);
    // nulls in objects nested in arrays are pruned; null elements stay
    expect(applyMergePatch({}, j('{"a":[{"b":null,"c":1},null]}'))).toEqual(j('{"a":[{"c":1},null]}'));
    expect(applyMergePatch({ a: [1] }, j('{"a":[{"b":null}]}'))).toEqual(j('{"a":[{}]}'));
    // a null original value is replaced by the pruned patch value
    expect(applyMergePatch(j('{"a":null}'), j('{"a":{"b":null,"c":1}}'))).toEqual(j('{"a":{"c":1}}'));
  });

  it('has no strategic directives: $patch is data', () => {
    expect(applyMergePatch({ spec: { a: 1 } }, j('{"spec":{"$patch":"delete"}}'))).toEqual(j('{"spec":{"a":1,"$patch":"delete"}}'));
  });

  it('never mutates inputs and is prototype-safe', () => {
    const original = deepFreeze(j('{"a":{"b":1},"l":[1]}'));
    const patch = deepFreeze(j('{"a":{"c":null,"d":{"e":null}},"l":null,"__proto__":{"polluted":1}}'));
    const out = applyMergePatch(original, patch) as Record<string, unknown>;
    expect(JSON.stringify(out)).toBe('{"a":{"b":1,"d":{}},"__proto__":{"polluted":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(patch)).toBe('{"a":{"c":null,"d":{"e":null}},"l":null,"__proto__":{"polluted":1}}');
  });
});
