/**
 * @kubernetes/client-node 1.4.0, unchanged, against a listening emulator: CustomObjectsApi,
 * errors as ApiException, KubernetesObjectApi (which discovers the resource), Watch and an
 * Informer, through each served version (v1alpha2, and v1alpha from the same store), and watches
 * across versions. Every watch and informer is stopped before the emulator closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { createEmulator, type Emulator } from '../emulator/index.js';

const group = 'core.apoxy.dev';
const plural = 'backends';
const pathOf = (version: string) => `/apis/${group}/${version}/${plural}`;

type Backend = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start() {
  const emulator: Emulator = await createEmulator();
  const url = await emulator.listen(0);
  cleanups.push(() => emulator.close());
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'emulator', server: url, skipTLSVerify: true }],
    users: [{ name: 'dev' }],
    contexts: [{ name: 'emulator', cluster: 'emulator', user: 'dev' }],
    currentContext: 'emulator',
  });
  return { emulator, kc, custom: kc.makeApiClient(CustomObjectsApi) };
}

const backendIn = (version: string) => (name: string, spec: Record<string, unknown> = { endpoints: [{ fqdn: `${name}.example.com` }], protocol: 'h2' }): Backend => ({
  apiVersion: `${group}/${version}`,
  kind: 'Backend',
  metadata: { name },
  spec,
});

/** Resolves when `predicate` holds, polling; rejects with what was seen if it never does. */
async function eventually<T>(what: string, read: () => T, predicate: (v: T) => boolean, guardMs = 10_000): Promise<T> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    const v = read();
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function apiError(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected an ApiException');
}

describe.each(['v1alpha2', 'v1alpha'])('@kubernetes/client-node 1.4.0 through %s', (version) => {
  const PATH = pathOf(version);
  const backend = backendIn(version);

  it('CustomObjectsApi: create, get, list, replace, patch (json, merge, apply) and delete', async () => {
    const { custom } = await start();
    const created = (await custom.createClusterCustomObject({ group, version, plural, body: backend('b1') })) as Backend;
    expect(created.metadata?.uid).toBeTruthy();
    // Without fieldManager the manager is the User-Agent up to "/": client-node sends node-fetch/1.0.
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ manager: 'node-fetch', operation: 'Update' });

    const got = (await custom.getClusterCustomObject({ group, version, plural, name: 'b1' })) as Backend;
    expect(got).toEqual(created);
    const list = (await custom.listClusterCustomObject({ group, version, plural })) as { kind: string; items: Backend[] };
    expect(list.kind).toBe('BackendList');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['b1']);

    const replaced = (await custom.replaceClusterCustomObject({ group, version, plural, name: 'b1', body: { ...got, spec: { ...got.spec, protocol: 'h2c' } } })) as Backend;
    expect(replaced.spec?.protocol).toBe('h2c');

    // The default patch type of CustomObjectsApi is a JSON patch.
    const jsonPatched = (await custom.patchClusterCustomObject({ group, version, plural, name: 'b1', body: [{ op: 'replace', path: '/spec/protocol', value: 'tls' }] })) as Backend;
    expect(jsonPatched.spec?.protocol).toBe('tls');

    const merged = (await custom.patchClusterCustomObject(
      { group, version, plural, name: 'b1', body: { metadata: { labels: { tier: 'edge' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Backend;
    expect(merged.metadata?.labels).toEqual({ tier: 'edge' });
    expect(merged.spec?.protocol).toBe('tls');

    const applied = (await custom.patchClusterCustomObject(
      { group, version, plural, name: 'b2', body: backend('b2'), fieldManager: 'ci', force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    )) as Backend;
    expect(applied.metadata?.managedFields?.[0]).toMatchObject({ manager: 'ci', operation: 'Apply' });

    const deleted = (await custom.deleteClusterCustomObject({ group, version, plural, name: 'b1' })) as { kind: string; status: string };
    expect([deleted.kind, deleted.status]).toEqual(['Status', 'Success']);
    const after = (await custom.listClusterCustomObject({ group, version, plural })) as { items: Backend[] };
    expect(after.items.map((i) => i.metadata?.name)).toEqual(['b2']);
  });

  it('errors surface as ApiException carrying the Status body', async () => {
    const { custom } = await start();
    const missing = await apiError(custom.getClusterCustomObject({ group, version, plural, name: 'nope' }));
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'backends.core.apoxy.dev "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group, kind: plural },
      code: 404,
    });
    await custom.createClusterCustomObject({ group, version, plural, body: backend('b1') });
    const dup = await apiError(custom.createClusterCustomObject({ group, version, plural, body: backend('b1') }));
    expect(dup.code).toBe(409);
    expect(JSON.parse(dup.body)).toMatchObject({ reason: 'AlreadyExists', message: 'backends.core.apoxy.dev "b1" already exists' });
    const conflict = await apiError(
      custom.patchClusterCustomObject(
        { group, version, plural, name: 'b1', body: { ...backend('b1'), spec: { protocol: 'tls' } }, fieldManager: 'other' },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(conflict.code).toBe(409);
    expect(JSON.parse(conflict.body).message).toBe(`Apply failed with 1 conflict: conflict with "node-fetch" using ${group}/${version}: .spec.protocol`);
  });

  it('KubernetesObjectApi: create, read, patch, list and delete through discovery', async () => {
    const { kc } = await start();
    const client = KubernetesObjectApi.makeApiClient(kc);
    const created = await client.create(backend('k1'));
    expect(created.metadata?.name).toBe('k1');
    const read = await client.read<Backend>({ apiVersion: `${group}/${version}`, kind: 'Backend', metadata: { name: 'k1' } });
    expect(read.spec?.protocol).toBe('h2');
    // KubernetesObjectApi.patch defaults to a strategic merge patch, which Apoxy's server accepts.
    const patched = await client.patch<Backend>({ apiVersion: `${group}/${version}`, kind: 'Backend', metadata: { name: 'k1', labels: { a: '1' } } });
    expect(patched.metadata?.labels).toEqual({ a: '1' });
    const merged = await client.patch<Backend>(
      { apiVersion: `${group}/${version}`, kind: 'Backend', metadata: { name: 'k1' }, spec: { protocol: 'tls' } } as Backend,
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(merged.spec).toEqual({ endpoints: [{ fqdn: 'k1.example.com' }], protocol: 'tls' });
    const list = await client.list<Backend>(`${group}/${version}`, 'Backend');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['k1']);
    await client.delete({ apiVersion: `${group}/${version}`, kind: 'Backend', metadata: { name: 'k1' } });
    const gone = await apiError(client.read({ apiVersion: `${group}/${version}`, kind: 'Backend', metadata: { name: 'k1' } }));
    expect(gone.code).toBe(404);
  });

  it('Watch streams ADDED, MODIFIED and DELETED', async () => {
    const { kc, custom } = await start();
    const events: [string, string | undefined][] = [];
    let doneErr: unknown = 'not done';
    const controller = await new Watch(kc).watch(PATH, { allowWatchBookmarks: false }, (type, obj: Backend) => events.push([type, obj.metadata?.name]), (err) => (doneErr = err));
    cleanups.push(() => controller.abort());
    await custom.createClusterCustomObject({ group, version, plural, body: backend('w1') });
    await custom.patchClusterCustomObject({ group, version, plural, name: 'w1', body: { metadata: { labels: { x: 'y' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await custom.deleteClusterCustomObject({ group, version, plural, name: 'w1' });
    await eventually('watch events', () => events.length, (n) => n >= 3);
    expect(events).toEqual([
      ['ADDED', 'w1'],
      ['MODIFIED', 'w1'],
      ['DELETED', 'w1'],
    ]);
    expect(doneErr).toBe('not done'); // the stream is still open
  });

  it('an Informer lists, then sees create, update and delete', async () => {
    const { kc, custom } = await start();
    await custom.createClusterCustomObject({ group, version, plural, body: backend('before') });
    const informer = makeInformer<Backend>(kc, PATH, () => custom.listClusterCustomObject({ group, version, plural }));
    const seen: string[] = [];
    const errorsSeen: unknown[] = [];
    let stopped = false;
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.spec?.protocol}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    informer.on('error', (e) => {
      if (!stopped) errorsSeen.push(e);
    });
    await informer.start();
    cleanups.push(async () => {
      stopped = true;
      await informer.stop();
    });
    await eventually('initial list', () => seen.length, (n) => n >= 1);
    await custom.createClusterCustomObject({ group, version, plural, body: backend('i1') });
    await eventually('add', () => informer.get('i1'), (o) => o !== undefined);
    await custom.patchClusterCustomObject({ group, version, plural, name: 'i1', body: { spec: { protocol: 'tls' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await eventually('update', () => informer.get('i1')?.spec?.protocol, (p) => p === 'tls');
    await custom.deleteClusterCustomObject({ group, version, plural, name: 'i1' });
    await eventually('delete', () => informer.get('i1'), (o) => o === undefined);
    expect(seen).toEqual(['add before', 'add i1', 'update i1 tls', 'delete i1']);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['before']);
    expect(errorsSeen).toEqual([]);
  });
});

describe('@kubernetes/client-node 1.4.0 watching across versions', () => {
  /** Watches `watchVersion` while objects are written through `writeVersion`; returns what the watch saw. */
  async function crossWatch(watchVersion: string, writeVersion: string) {
    const { kc, custom } = await start();
    const seen: [string, string | undefined, string | undefined, unknown][] = [];
    const controller = await new Watch(kc).watch(pathOf(watchVersion), {}, (type, obj: Backend) => seen.push([type, obj.apiVersion, obj.metadata?.uid, obj.spec?.endpoints]), () => undefined);
    cleanups.push(() => controller.abort());
    const w = { group, version: writeVersion, plural };
    const created = (await custom.createClusterCustomObject({ ...w, body: backendIn(writeVersion)('x', { protocol: 'h2' }) })) as Backend;
    await custom.patchClusterCustomObject({ ...w, name: 'x', body: { metadata: { labels: { a: 'b' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await custom.deleteClusterCustomObject({ ...w, name: 'x' });
    await eventually('watch events', () => seen.length, (n) => n >= 3);
    return { seen, uid: created.metadata?.uid };
  }

  // Either way every event carries the watch's version and endpoints []: v1alpha2 writes store
  // null, which v1alpha shows as []; v1alpha writes store the [] their conversion made.
  it.each([
    ['v1alpha', 'v1alpha2'],
    ['v1alpha2', 'v1alpha'],
  ])('a %s watch sees writes made through %s, as objects of its own version', async (watchVersion, writeVersion) => {
    const { seen, uid } = await crossWatch(watchVersion, writeVersion);
    expect(seen).toEqual(['ADDED', 'MODIFIED', 'DELETED'].map((type) => [type, `${group}/${watchVersion}`, uid, []]));
  });
});
