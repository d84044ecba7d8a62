/**
 * A generated corpus of malformed requests for the bad-input test: broken and truncated JSON,
 * wrong types at every field of a valid Backend, oversized and deeply nested bodies, prototype
 * keys, invalid UTF-8, control characters, odd names in paths, unknown content types and
 * absurd query parameters. Deterministic: the same corpus on every run.
 */
export interface BadRequest {
  /** What the case exercises, for failure messages. */
  label: string;
  method: string;
  /** Raw request target (already percent-encoded where it has to be). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export const COLLECTION = '/apis/core.apoxy.dev/v1alpha2/backends';
const JSON_CT = { 'content-type': 'application/json' };
const MERGE_CT = { 'content-type': 'application/merge-patch+json' };

const valid = () => ({
  apiVersion: 'core.apoxy.dev/v1alpha2',
  kind: 'Backend',
  metadata: { name: 'target', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: {
    endpoints: [{ fqdn: 'web.example.com' }],
    protocol: 'h2',
    dynamicProxy: { dnsCacheConfig: { dnsLookupFamily: 'v4_only', dnsRefreshRate: '5s', maxHosts: 10 } },
  },
});

const buf = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));

/** Every path to a value or container in an object, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (prefix.length) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(obj: any, path: (string | number)[], v: unknown): any {
  const copy = structuredClone(obj);
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1]] = v;
  return copy;
}

function nested(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

export function generateCorpus(): BadRequest[] {
  const corpus: BadRequest[] = [];
  const add = (label: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = body === undefined ? {} : JSON_CT) =>
    corpus.push({ label, method, path, headers, body: body === undefined ? undefined : buf(body) });
  const item = `${COLLECTION}/target`;
  const writes: [string, string, Record<string, string>][] = [
    ['POST', COLLECTION, JSON_CT],
    ['PUT', item, JSON_CT],
    ['PATCH', item, MERGE_CT],
  ];

  // Invalid JSON, on every write.
  const invalidJson = [
    '', ' ', '{', '}', '[', ']', '{"metadata":', '{"a" 1}', "{'a':1}", '{a:1}', '{"a":1,}', '[1,]', 'nul', 'tru', 'NaN', 'Infinity',
    '-', '01', '1e', '"\\x"', '"\\u12"', '"unterminated', '{"a":"b"}}', '{}{}', '{"a":1}garbage', '\u0000', '\ufeff{}', '/* c */{}',
    '{"metadata":{"name":"x"},"spec":{"endpoints":[{"fqdn":"a"}]', '{"a":-}', '{"a":.5}', '{"a":+1}', '{"a":0x10}',
  ];
  for (const [method, path, ct] of writes) for (const b of invalidJson) add(`invalid JSON ${JSON.stringify(b)}`, method, path, b, ct);

  // Valid JSON cut short at every tenth of its length.
  const whole = JSON.stringify(valid());
  for (const [method, path, ct] of writes) {
    for (let i = 1; i < 10; i++) add(`truncated at ${i}/10`, method, path, whole.slice(0, Math.floor((whole.length * i) / 10)), ct);
  }

  // Wrong types at every field (and container) of a valid Backend.
  const wrongValues: unknown[] = [null, 0, -1, 1.5, 1e308, 'text', '', true, [], [1, 'a'], {}, { x: 1 }];
  for (const p of paths(valid())) {
    for (const v of wrongValues) add(`${p.join('.')} = ${JSON.stringify(v)}`, 'POST', COLLECTION, JSON.stringify(setAt({ ...valid(), metadata: { ...valid().metadata, name: 'wt' } }, p, v)));
  }
  // Top-level bodies that are not objects.
  for (const v of ['null', '0', '"s"', 'true', '[]', '[{}]']) for (const [method, path, ct] of writes) add(`body ${v}`, method, path, v, ct);

  // Over the 3 MiB body limit.
  const huge = JSON.stringify({ metadata: { name: 'huge', annotations: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } }, spec: {} });
  for (const [method, path, ct] of writes) add('body over 3 MiB', method, path, huge, ct);

  // Deep nesting, in the body and inside fields.
  for (const depth of [1000, 10_000, 100_000]) {
    add(`nested objects ${depth}`, 'POST', COLLECTION, nested(depth, '{"a":', '}'));
    add(`nested arrays ${depth}`, 'POST', COLLECTION, nested(depth, '[', ']'));
    add(`nested in spec ${depth}`, 'POST', COLLECTION, `{"metadata":{"name":"deep"},"spec":${nested(depth, '{"a":', '}')}}`);
    add(`nested in a merge patch ${depth}`, 'PATCH', item, `{"metadata":{"labels":${nested(depth, '{"a":', '}')}}}`, MERGE_CT);
  }

  // Prototype keys everywhere an object is read.
  const protoKeys = ['__proto__', 'constructor', 'prototype'];
  for (const k of protoKeys) {
    const poison = `{"${k}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`;
    add(`${k} at top`, 'POST', COLLECTION, `{"metadata":{"name":"p-${k.replace(/_/g, '')}"},"spec":{},"${k}":{"polluted":"yes"}}`);
    add(`${k} in metadata`, 'POST', COLLECTION, `{"metadata":{"name":"pm-${k.replace(/_/g, '')}","${k}":{"polluted":"yes"}},"spec":{}}`);
    add(`${k} as labels`, 'POST', COLLECTION, `{"metadata":{"name":"pl-${k.replace(/_/g, '')}","labels":${poison}},"spec":{}}`);
    add(`${k} as label key`, 'POST', COLLECTION, `{"metadata":{"name":"pk-${k.replace(/_/g, '')}","labels":{"${k}":"x"}},"spec":{}}`);
    add(`${k} in annotations`, 'POST', COLLECTION, `{"metadata":{"name":"pa-${k.replace(/_/g, '')}","annotations":${poison}},"spec":{}}`);
    add(`${k} in spec`, 'POST', COLLECTION, `{"metadata":{"name":"ps-${k.replace(/_/g, '')}"},"spec":${poison}}`);
    add(`${k} in endpoints`, 'POST', COLLECTION, `{"metadata":{"name":"pe-${k.replace(/_/g, '')}"},"spec":{"endpoints":[${poison}]}}`);
    add(`${k} as name`, 'POST', COLLECTION, `{"metadata":{"name":"${k}"},"spec":{}}`);
    add(`${k} in merge patch`, 'PATCH', item, `{"metadata":{"labels":${poison}},${poison.slice(1, -1)}}`, MERGE_CT);
    add(`${k} in strategic merge patch`, 'PATCH', item, `{"metadata":{"labels":${poison}}}`, { 'content-type': 'application/strategic-merge-patch+json' });
    add(`${k} in JSON patch path`, 'PATCH', item, `[{"op":"add","path":"/${k}/polluted","value":"yes"}]`, { 'content-type': 'application/json-patch+json' });
    add(`${k} in JSON patch label path`, 'PATCH', item, `[{"op":"add","path":"/metadata/labels/${k}","value":{"polluted":"yes"}}]`, { 'content-type': 'application/json-patch+json' });
    add(`${k} in apply`, 'PATCH', `${item}?fieldManager=corpus`, `{"apiVersion":"core.apoxy.dev/v1alpha2","kind":"Backend","metadata":{"name":"target","${k}":{"polluted":"yes"}}}`, { 'content-type': 'application/apply-patch+yaml' });
    add(`${k} as path name`, 'GET', `${COLLECTION}/${k}`);
    add(`${k} as label selector`, 'GET', `${COLLECTION}?labelSelector=${k}%3Dx`);
  }

  // Invalid UTF-8 inside JSON strings.
  const badUtf8 = [Buffer.from([0xff]), Buffer.from([0xfe, 0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe0, 0x80, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0x80]), Buffer.from([0xc3])];
  for (const bad of badUtf8) {
    add(`invalid UTF-8 in name ${bad.toString('hex')}`, 'POST', COLLECTION, Buffer.concat([buf('{"metadata":{"name":"u'), bad, buf('"},"spec":{}}')]));
    add(`invalid UTF-8 in label ${bad.toString('hex')}`, 'POST', COLLECTION, Buffer.concat([buf('{"metadata":{"name":"u8","labels":{"a":"'), bad, buf('"}},"spec":{}}')]));
    add(`invalid UTF-8 in fqdn ${bad.toString('hex')}`, 'POST', COLLECTION, Buffer.concat([buf('{"metadata":{"name":"u9"},"spec":{"endpoints":[{"fqdn":"'), bad, buf('"}]}}')]));
    add(`invalid UTF-8 in merge patch ${bad.toString('hex')}`, 'PATCH', item, Buffer.concat([buf('{"metadata":{"annotations":{"a":"'), bad, buf('"}}}')]), MERGE_CT);
  }
  // Lone surrogates, escaped (valid JSON, invalid Unicode).
  for (const s of ['\\ud800', '\\udfff', '\\ud800\\ud800']) add(`lone surrogate ${s}`, 'POST', COLLECTION, `{"metadata":{"name":"s","annotations":{"a":"${s}"}},"spec":{}}`);

  // Control characters: raw in strings (invalid JSON) and escaped (valid JSON, invalid names).
  for (const code of [0, 1, 8, 9, 10, 13, 27, 31, 127]) {
    const c = String.fromCharCode(code);
    const esc = `\\u${code.toString(16).padStart(4, '0')}`;
    add(`raw control ${code} in name`, 'POST', COLLECTION, `{"metadata":{"name":"c${c}x"},"spec":{}}`);
    add(`escaped control ${code} in name`, 'POST', COLLECTION, `{"metadata":{"name":"c${esc}x"},"spec":{}}`);
    add(`escaped control ${code} in label value`, 'POST', COLLECTION, `{"metadata":{"name":"cl${code}","labels":{"a":"x${esc}"}},"spec":{}}`);
    add(`escaped control ${code} in fqdn`, 'POST', COLLECTION, `{"metadata":{"name":"cf${code}"},"spec":{"endpoints":[{"fqdn":"a${esc}.example.com"}]}}`);
    add(`control ${code} in path`, 'GET', `${COLLECTION}/a%${code.toString(16).padStart(2, '0')}b`);
  }

  // Names with /, %, .. and friends: in paths (every verb) and in bodies.
  const pathNames = ['..', '.', '%2F', 'a%2Fb', '%2E%2E', '%25', '%', '%zz', 'a%00b', '%2e', 'a%20b', '~', '%C0%AF', '%FF', 'a;b', "'", '%22'];
  for (const n of pathNames) {
    for (const method of ['GET', 'DELETE']) add(`${method} name ${n}`, method, `${COLLECTION}/${n}`);
    add(`PUT name ${n}`, 'PUT', `${COLLECTION}/${n}`, JSON.stringify({ metadata: { name: decodeURIComponentSafe(n) }, spec: {} }));
    add(`PATCH name ${n}`, 'PATCH', `${COLLECTION}/${n}`, '{"metadata":{"labels":{"a":"b"}}}', MERGE_CT);
    add(`status of name ${n}`, 'GET', `${COLLECTION}/${n}/status`);
  }
  for (const n of ['a/b', '..', '.', 'a%b', '%2F', '/', '', ' ', 'A', '-a', 'a'.repeat(300), '../../etc/passwd']) {
    add(`body name ${JSON.stringify(n)}`, 'POST', COLLECTION, JSON.stringify({ metadata: { name: n }, spec: {} }));
    add(`body generateName ${JSON.stringify(n)}`, 'POST', COLLECTION, JSON.stringify({ metadata: { generateName: n }, spec: {} }));
  }
  for (const p of ['/a/b/c', '/x/status/y', '//', '/target/status/extra', '/../../../etc/passwd', '/%2e%2e/%2e%2e']) add(`deep path ${p}`, 'GET', COLLECTION + p);

  // Content types the server does not take.
  const contentTypes = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=latin1',
    'application/json; charset=utf-16', 'application/vnd.kubernetes.protobuf', 'garbage', '', ';;;', 'application/', '*/*', 'application/json-patch+json', 'application/cbor'];
  for (const ct of contentTypes) {
    add(`POST content-type ${JSON.stringify(ct)}`, 'POST', COLLECTION, JSON.stringify({ ...valid(), metadata: { name: 'ct' } }), { 'content-type': ct });
    add(`PATCH content-type ${JSON.stringify(ct)}`, 'PATCH', item, '{"metadata":{"labels":{"a":"b"}}}', { 'content-type': ct });
  }
  for (const enc of ['gzip', 'br', 'deflate', 'x-unknown']) add(`content-encoding ${enc}`, 'POST', COLLECTION, '{"metadata":{"name":"e"},"spec":{}}', { ...JSON_CT, 'content-encoding': enc });
  for (const accept of ['application/xml', 'application/json;as=Table;v=v9;g=meta.k8s.io', '*/*;q=abc', ',,,', 'application/json;as=Table;g=meta.k8s.io;v=v1;includeObject=Everything']) {
    add(`accept ${accept}`, 'GET', COLLECTION, undefined, { accept });
  }

  // Absurd query parameters.
  const queries = [
    'limit=-1', 'limit=0', 'limit=1e100', 'limit=abc', 'limit=99999999999999999999999', 'limit=1.5', 'continue=garbage', 'continue=%00', 'continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ',
    'labelSelector=!!!', 'labelSelector=a%20in%20(', 'labelSelector=a==b==c', 'labelSelector=' + 'a,'.repeat(2000), 'fieldSelector=spec.nope=1', 'fieldSelector=metadata.name%3D%3D%3D',
    'fieldSelector=' + '='.repeat(100), 'resourceVersion=-1', 'resourceVersion=abc', 'resourceVersion=99999999999999999999', 'resourceVersionMatch=Nope', 'resourceVersionMatch=Exact',
    'timeoutSeconds=-5', 'timeoutSeconds=abc', 'timeoutSeconds=999999999999', 'watch=maybe', 'watch=1&resourceVersion=abc', 'watch=true&timeoutSeconds=0.5', 'sendInitialEvents=maybe',
    'allowWatchBookmarks=yes', 'pretty=2', 'includeObject=All', 'limit=1&limit=2&limit=x', 'labelSelector=' + 'x'.repeat(100_000), '%zz=1', 'a=%zz', '&&&&', '=====', '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes', 'fieldValidation=Nope', 'dryRun=Nope', 'dryRun=All&dryRun=All', 'fieldManager=' + 'm'.repeat(1000), 'propagationPolicy=Nope', 'gracePeriodSeconds=-1',
    'gracePeriodSeconds=abc', 'orphanDependents=maybe',
  ];
  for (const q of queries) {
    add(`list ?${q.slice(0, 60)}`, 'GET', `${COLLECTION}?${q}`);
    add(`get ?${q.slice(0, 60)}`, 'GET', `${item}?${q}`);
    add(`create ?${q.slice(0, 60)}`, 'POST', `${COLLECTION}?${q}`, JSON.stringify({ metadata: { generateName: 'q-' }, spec: {} }));
    add(`delete ?${q.slice(0, 60)}`, 'DELETE', `${COLLECTION}/no-such-object?${q}`);
  }
  // Malformed patches of each kind.
  for (const b of ['[{"op":"nope","path":"/a"}]', '[{"op":"add"}]', '[{"op":"remove","path":"/metadata/name"}]', '[{"op":"replace","path":"/metadata/resourceVersion","value":5}]',
    '[{"op":"add","path":"/spec/endpoints/-1","value":{}}]', '[{"op":"move","from":"/spec","path":"/spec/x"}]', '[{"op":"test","path":"/kind","value":"Nope"}]', '{"not":"a list"}', '[1,2,3]', '[null]']) {
    add(`JSON patch ${b.slice(0, 50)}`, 'PATCH', item, b, { 'content-type': 'application/json-patch+json' });
  }
  for (const b of ['{"spec":{"endpoints":"x"}}', '{"metadata":{"resourceVersion":"abc"}}', '{"metadata":{"name":"other"}}', '{"kind":"Nope"}', '{"apiVersion":"v9"}', '{"metadata":null}', '{"spec":{"$patch":"delete"}}', '{"$retainKeys":[1]}']) {
    add(`merge patch ${b}`, 'PATCH', item, b, MERGE_CT);
    add(`strategic patch ${b}`, 'PATCH', item, b, { 'content-type': 'application/strategic-merge-patch+json' });
  }
  for (const b of ['kind: [', ': :', '{{{', 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: other}', '- a\n- b', '&a [*a]']) {
    add(`apply ${JSON.stringify(b).slice(0, 40)}`, 'PATCH', `${item}?fieldManager=corpus`, b, { 'content-type': 'application/apply-patch+yaml' });
  }
  // Methods nobody serves.
  for (const method of ['OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT_', 'POST']) add(`method ${method}`, method, item);
  return corpus;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
