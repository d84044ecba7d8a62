/**
 * Real kubectl against a running emulator, used as a user does: a kubeconfig from
 * `kubeconfig()`, a fresh discovery cache, nothing else. Asserts on what kubectl prints and on
 * what the emulator stored.
 *
 * With CI=true these tests run and fail without kubectl; elsewhere a missing kubectl skips them
 * with a notice.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { kubeconfig } from '../emulator/kubeconfig.js';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const CI = !!process.env.CI && process.env.CI !== 'false';

function onPath(cmd: string): string | undefined {
  const candidates = cmd.includes('/') ? [cmd] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

const kubectlPath = onPath(KUBECTL);
if (!kubectlPath && !CI) {
  console.warn(`\n*** test/kubectl.test.ts SKIPPED: ${KUBECTL} is not on PATH (set KUBECTL=/path/to/kubectl; with CI=true this is a failure) ***\n`);
}

const GROUP_PATH = '/apis/core.apoxy.dev/v1alpha2/backends';

describe.skipIf(!kubectlPath && !CI)('kubectl against the emulator', () => {
  let emulator: Emulator;
  let url: string;
  let dir: string;
  let kubeconfigFile: string;

  beforeAll(async () => {
    if (!kubectlPath) throw new Error(`CI=true: kubectl is required for these tests and ${KUBECTL} is not on PATH`);
    emulator = await createEmulator({ validateResponses: true });
    url = await emulator.listen(0);
    dir = mkdtempSync(join(tmpdir(), 'apoxy-kubectl-'));
    kubeconfigFile = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigFile, kubeconfig({ server: url }));
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    // Every response kubectl received matched what openapi.yaml declares.
    expect(emulator?.responseProblems ?? []).toEqual([]);
  });

  interface Run {
    code: number;
    stdout: string;
    stderr: string;
  }

  /** kubectl as a user runs it: its own kubeconfig and discovery cache, a time limit. */
  function kubectl(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        kubectlPath!,
        ['--kubeconfig', kubeconfigFile, '--cache-dir', join(dir, 'cache'), ...args],
        { timeout: 20_000, env: { ...process.env, KUBECONFIG: kubeconfigFile } },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  /** Runs kubectl and expects success, showing its stderr when it fails. */
  async function ok(...args: string[]): Promise<string> {
    const r = await kubectl(...args);
    expect(r.code, `kubectl ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  }

  function manifest(name: string, body: Record<string, unknown>, apiVersion = 'core.apoxy.dev/v1alpha2'): string {
    const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, JSON.stringify({ apiVersion, kind: 'Backend', metadata: { name }, ...body }));
    return file;
  }

  function yamlManifest(text: string): string {
    const file = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  }

  async function stored(name: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${url}${GROUP_PATH}/${name}`);
    return { status: res.status, body: await res.json() };
  }

  async function create(name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<void> {
    const res = await fetch(`${url}${GROUP_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name, labels }, spec }),
    });
    expect(res.status).toBe(201);
  }

  it('create -f, then get as a table, -o json, -o yaml, by singular and fully qualified names', async () => {
    const file = yamlManifest('apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata:\n  name: kc-web\nspec:\n  endpoints:\n  - fqdn: web.example.com\n  - ip: 10.0.0.7\n  protocol: H2\n');
    expect(await ok('create', '-f', file)).toBe('backend.core.apoxy.dev/kc-web created\n');
    const s = await stored('kc-web');
    expect(s.body.spec).toEqual({ endpoints: [{ fqdn: 'web.example.com' }, { ip: '10.0.0.7' }], protocol: 'h2' });
    expect(s.body.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl-create', operation: 'Update' });

    const table = await ok('get', 'backends', 'kc-web');
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ENDPOINTS\s+PROTOCOL\s+AGE$/);
    expect(lines[1]).toMatch(/^kc-web\s+web\.example\.com,10\.0\.0\.7\s+h2\s+\d+s$/);
    expect((await ok('get', 'backend', 'kc-web')).split('\n')[1]).toMatch(/^kc-web\s/);
    expect((await ok('get', 'backends.core.apoxy.dev', 'kc-web')).split('\n')[1]).toMatch(/^kc-web\s/);

    // kubectl leaves managedFields out unless --show-managed-fields; the rest is the stored object.
    const { managedFields: _mf, ...metadata } = s.body.metadata;
    const expected = { ...s.body, metadata };
    expect(JSON.parse(await ok('get', 'backend', 'kc-web', '-o', 'json'))).toEqual(expected);
    expect(parseYaml(await ok('get', 'backend', 'kc-web', '-o', 'yaml'))).toEqual(expected);
    expect(JSON.parse(await ok('get', 'backend', 'kc-web', '-o', 'json', '--show-managed-fields'))).toEqual(s.body);
    const list = JSON.parse(await ok('get', 'backends', '-o', 'json'));
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('kc-web');
  });

  it('create -f with an unknown field is refused by server-side strict validation, as kubectl prints it', async () => {
    const file = manifest('kc-strict', { spec: { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2', foo: 1 } });
    const r = await kubectl('create', '-f', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error from server (BadRequest): error when creating "${file}": Backend in version "v1alpha2" cannot be handled as a Backend: strict decoding error: unknown field "spec.foo"\n`);
    expect((await stored('kc-strict')).status).toBe(404);
  });

  it('get of a missing backend: the NotFound message and exit code 1', async () => {
    const r = await kubectl('get', 'backend', 'kc-missing');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): backends.core.apoxy.dev "kc-missing" not found\n');
  });

  it('apply -f creates, a second apply of the same file is unchanged, an edited file is configured', async () => {
    const spec = { endpoints: [{ fqdn: 'app.example.com' }], protocol: 'h2' };
    const file = manifest('kc-apply', { spec });
    expect(await ok('apply', '-f', file)).toBe('backend.core.apoxy.dev/kc-apply created\n');
    expect(await ok('apply', '-f', file)).toBe('backend.core.apoxy.dev/kc-apply unchanged\n');
    const edited = manifest('kc-apply', { spec: { ...spec, protocol: 'tls' } });
    expect(await ok('apply', '-f', edited)).toBe('backend.core.apoxy.dev/kc-apply configured\n');
    const s = await stored('kc-apply');
    expect(s.body.spec.protocol).toBe('tls');
    expect(JSON.parse(s.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.protocol).toBe('tls');
  });

  it("apply -f: client-side apply's strategic merge keeps a finalizer someone else added", async () => {
    const spec = { endpoints: [{ fqdn: 'fin.example.com' }], protocol: 'h2' };
    await ok('apply', '-f', manifest('kc-apply-fin', { spec, metadata: { name: 'kc-apply-fin', finalizers: ['example.com/mine'] } }));
    const other = await fetch(`${url}${GROUP_PATH}/kc-apply-fin`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { finalizers: ['example.com/mine', 'example.com/controller'] } }) });
    expect(other.status).toBe(200);
    await ok('apply', '-f', manifest('kc-apply-fin', { spec: { ...spec, protocol: 'tls' }, metadata: { name: 'kc-apply-fin', finalizers: ['example.com/mine', 'example.com/second'] } }));
    const s = await stored('kc-apply-fin');
    expect(s.body.spec.protocol).toBe('tls');
    expect([...s.body.metadata.finalizers].sort()).toEqual(['example.com/controller', 'example.com/mine', 'example.com/second']);
    await ok('patch', 'backend', 'kc-apply-fin', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');
  });

  it('apply --server-side creates the object with kubectl as its Apply manager', async () => {
    const file = manifest('kc-ssa', { spec: { endpoints: [{ fqdn: 'ssa.example.com' }], protocol: 'h2c' } });
    expect(await ok('apply', '--server-side', '-f', file)).toBe('backend.core.apoxy.dev/kc-ssa serverside-applied\n');
    const s = await stored('kc-ssa');
    expect(s.body.spec).toEqual({ endpoints: [{ fqdn: 'ssa.example.com' }], protocol: 'h2c' });
    expect(s.body.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }));
  });

  it('patch: merge, json and strategic, each stored; a failed JSON-patch test prints the real message', async () => {
    await create('kc-patch', { endpoints: [{ fqdn: 'p.example.com' }], protocol: 'h2' });
    expect(await ok('patch', 'backend', 'kc-patch', '--type', 'merge', '-p', '{"spec":{"protocol":"TLS"}}')).toBe('backend.core.apoxy.dev/kc-patch patched\n');
    expect((await stored('kc-patch')).body.spec.protocol).toBe('tls');
    expect(await ok('patch', 'backend', 'kc-patch', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/endpoints/0/fqdn","value":"q.example.com"}]')).toBe('backend.core.apoxy.dev/kc-patch patched\n');
    expect((await stored('kc-patch')).body.spec.endpoints).toEqual([{ fqdn: 'q.example.com' }]);
    // Strategic merge is kubectl patch's default; Backend's lists have no merge key, so they are replaced.
    expect(await ok('patch', 'backend', 'kc-patch', '-p', '{"spec":{"endpoints":[{"ip":"10.1.1.1"}]}}')).toBe('backend.core.apoxy.dev/kc-patch patched\n');
    const s = await stored('kc-patch');
    expect(s.body.spec).toEqual({ endpoints: [{ ip: '10.1.1.1' }], protocol: 'tls' });
    expect(s.body.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kubectl-patch');
    // ObjectMeta keeps its patch strategies: kubectl's default strategic patch adds a finalizer.
    await ok('patch', 'backend', 'kc-patch', '--type', 'merge', '-p', '{"metadata":{"finalizers":["example.com/first"]}}');
    expect(await ok('patch', 'backend', 'kc-patch', '-p', '{"metadata":{"finalizers":["x"]}}')).toBe('backend.core.apoxy.dev/kc-patch patched\n');
    expect((await stored('kc-patch')).body.metadata.finalizers).toEqual(['x', 'example.com/first']);
    await ok('patch', 'backend', 'kc-patch', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');

    const failed = await kubectl('patch', 'backend', 'kc-patch', '--type', 'json', '-p', '[{"op":"test","path":"/spec/protocol","value":"h2"}]');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('The request is invalid: the server rejected our request due to an error in our request\n');
  });

  it('label and annotate add and remove, and are stored', async () => {
    await create('kc-label', { endpoints: [{ fqdn: 'l.example.com' }], protocol: '' });
    expect(await ok('label', 'backend', 'kc-label', 'tier=edge', 'team=web')).toBe('backend.core.apoxy.dev/kc-label labeled\n');
    expect(await ok('annotate', 'backend', 'kc-label', 'owner=alice')).toBe('backend.core.apoxy.dev/kc-label annotated\n');
    let s = await stored('kc-label');
    expect(s.body.metadata.labels).toEqual({ tier: 'edge', team: 'web' });
    expect(s.body.metadata.annotations).toEqual({ owner: 'alice' });
    expect(await ok('label', 'backend', 'kc-label', 'team-')).toBe('backend.core.apoxy.dev/kc-label unlabeled\n');
    s = await stored('kc-label');
    expect(s.body.metadata.labels).toEqual({ tier: 'edge' });
    const overwrite = await kubectl('label', 'backend', 'kc-label', 'tier=core');
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain("'tier' already has a value (edge), and --overwrite is false");
  });

  it('replace -f puts the whole object', async () => {
    await create('kc-replace', { endpoints: [{ fqdn: 'old.example.com' }], protocol: 'h2' });
    const file = manifest('kc-replace', { metadata: { name: 'kc-replace', labels: { v: '2' } }, spec: { endpoints: [{ fqdn: 'new.example.com' }], protocol: 'tls' } });
    expect(await ok('replace', '-f', file)).toBe('backend.core.apoxy.dev/kc-replace replaced\n');
    const s = await stored('kc-replace');
    expect(s.body.spec).toEqual({ endpoints: [{ fqdn: 'new.example.com' }], protocol: 'tls' });
    expect(s.body.metadata.labels).toEqual({ v: '2' });
    expect(s.body.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kubectl-replace');
  });

  it('-l and --field-selector select on the server; an unknown field selector is the real 400', async () => {
    await create('kc-sel-a', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' }, { sel: 'yes', zone: 'a' });
    await create('kc-sel-b', { endpoints: [{ fqdn: 'b.example.com' }], protocol: 'tls' }, { sel: 'yes', zone: 'b' });
    await create('kc-sel-c', { endpoints: [{ fqdn: 'c.example.com' }], protocol: 'h2' }, { sel: 'no' });
    expect(await ok('get', 'backends', '-l', 'sel=yes', '-o', 'name')).toBe('backend.core.apoxy.dev/kc-sel-a\nbackend.core.apoxy.dev/kc-sel-b\n');
    expect(await ok('get', 'backends', '-l', 'sel=yes,zone!=a', '-o', 'name')).toBe('backend.core.apoxy.dev/kc-sel-b\n');
    expect(await ok('get', 'backends', '-l', 'sel', '--field-selector', 'spec.protocol=h2', '-o', 'name')).toBe('backend.core.apoxy.dev/kc-sel-a\nbackend.core.apoxy.dev/kc-sel-c\n');
    expect(await ok('get', 'backends', '--field-selector', 'metadata.name=kc-sel-b', '-o', 'name')).toBe('backend.core.apoxy.dev/kc-sel-b\n');
    const none = await kubectl('get', 'backends', '-l', 'sel=maybe');
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toBe('No resources found\n');
    const bad = await kubectl('get', 'backends', '--field-selector', 'spec.foo=x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"spec.foo" is not a known field selector');
  });

  it('get -w prints the current rows, then each change as it happens', async () => {
    await create('kc-watch-a', { endpoints: [{ fqdn: 'wa.example.com' }], protocol: 'h2' }, { watch: 'me' });
    // detached: the dispatcher may run the real kubectl as a child; the whole group is stopped at the end.
    const child: ChildProcess = spawn(kubectlPath!, ['--kubeconfig', kubeconfigFile, '--cache-dir', join(dir, 'cache'), 'get', 'backends', '-l', 'watch=me', '-w'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (err += d));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out); i++) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out, `kubectl get -w stderr: ${err}`).toMatch(re);
    };
    try {
      await waitFor(/^kc-watch-a\s+wa\.example\.com\s+h2\s+\S+$/m);
      expect(out.split('\n')[0]).toMatch(/^NAME\s+ENDPOINTS\s+PROTOCOL\s+AGE$/);
      await create('kc-watch-b', { endpoints: [{ fqdn: 'wb.example.com' }], protocol: 'tls' }, { watch: 'me' });
      await waitFor(/^kc-watch-b\s+wb\.example\.com\s+tls\s+\S+$/m);
      const res = await fetch(`${url}${GROUP_PATH}/kc-watch-a`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"spec":{"protocol":"h2c"}}' });
      expect(res.status).toBe(200);
      await waitFor(/^kc-watch-a\s+wa\.example\.com\s+h2c\s+\S+$/m);
      // An object that does not match the selector never shows.
      expect(out).not.toContain('kc-sel');
    } finally {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });

  it('delete by name and delete -l, both gone from the store', async () => {
    await create('kc-del', { endpoints: [{ fqdn: 'd.example.com' }], protocol: '' });
    await create('kc-del-1', { endpoints: [{ fqdn: 'd1.example.com' }], protocol: '' }, { purge: 'yes' });
    await create('kc-del-2', { endpoints: [{ fqdn: 'd2.example.com' }], protocol: '' }, { purge: 'yes' });
    expect(await ok('delete', 'backend', 'kc-del')).toBe('backend.core.apoxy.dev "kc-del" deleted\n');
    expect((await stored('kc-del')).status).toBe(404);
    expect(await ok('delete', 'backends', '-l', 'purge=yes')).toBe('backend.core.apoxy.dev "kc-del-1" deleted\nbackend.core.apoxy.dev "kc-del-2" deleted\n');
    expect((await stored('kc-del-1')).status).toBe(404);
    expect((await stored('kc-del-2')).status).toBe(404);
    const again = await kubectl('delete', 'backend', 'kc-del');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('Error from server (NotFound): backends.core.apoxy.dev "kc-del" not found\n');
  });

  it('api-resources lists backends from discovery', async () => {
    const out = await ok('api-resources', '--api-group', 'core.apoxy.dev');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^backends\s+core\.apoxy\.dev\/v1alpha2\s+false\s+Backend$/);
    expect(await ok('api-resources', '--api-group', 'core.apoxy.dev', '-o', 'wide')).toMatch(/Backend\s+create,delete,deletecollection,get,list,patch,update,watch\s*$/m);
  });

  it('over HTTPS with a self-signed certificate, the printed kubeconfig works without prompting for credentials', async () => {
    const secure = await createEmulator({ tls: 'self-signed' });
    try {
      const secureUrl = await secure.listen(0);
      expect(secureUrl).toMatch(/^https:/);
      const file = join(dir, 'kubeconfig-tls.yaml');
      writeFileSync(file, kubeconfig({ server: secureUrl }));
      const run = (...args: string[]) => new Promise<Run>((resolve) => {
        // stdin closed: a credentials prompt would fail the command instead of hanging it.
        const child = execFile(kubectlPath!, ['--kubeconfig', file, '--cache-dir', join(dir, 'cache-tls'), ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
        child.stdin?.end();
      });
      const created = await run('create', '-f', manifest('kc-tls', { spec: { endpoints: [{ fqdn: 'tls.example.com' }], protocol: 'tls' } }));
      expect(created, created.stderr).toMatchObject({ code: 0, stdout: 'backend.core.apoxy.dev/kc-tls created\n', stderr: '' });
      const got = await run('get', 'backends');
      expect(got.code).toBe(0);
      expect(got.stdout.split('\n')[1]).toMatch(/^kc-tls\s+tls\.example\.com\s+tls\s+\d+s$/);
    } finally {
      await secure.close();
    }
  });

  it('explain backends and explain backends.spec.endpoints print the descriptions from openapi.yaml', async () => {
    const schemas = emulator.doc.schemas;
    const backendKey = emulator.doc.schemaKeyForKind({ group: 'core.apoxy.dev', version: 'v1alpha2', kind: 'Backend' });
    const top = await ok('explain', 'backends');
    expect(top).toMatch(/^GROUP:\s+core\.apoxy\.dev\nKIND:\s+Backend\nVERSION:\s+v1alpha2\n/);
    expect(top).toContain(schemas[backendKey].description!);
    expect(top).toMatch(/^ {2}spec\t<BackendSpec>$/m);
    const endpointKey = Object.keys(schemas).find((k) => k.endsWith('.BackendEndpoint'))!;
    const fqdn = (schemas[endpointKey].properties!.fqdn as { description: string }).description;
    const field = await ok('explain', 'backends.spec.endpoints');
    expect(field).toMatch(/^FIELD: endpoints <\[\]BackendEndpoint>$/m);
    expect(field).toContain(fqdn);
  });

  // core.apoxy.dev/v1alpha, served from the same store (the version the Apoxy Helm chart registers).
  const V1ALPHA = 'core.apoxy.dev/v1alpha';

  it('v1alpha: get backends.v1alpha.core.apoxy.dev shows the stored objects converted; get backends still resolves to v1alpha2', async () => {
    await create('kc-v1-read', { protocol: 'h2' }); // stored in v1alpha2 with endpoints null
    const s = await stored('kc-v1-read');
    const { managedFields: _mf, ...metadata } = s.body.metadata;
    const inV1alpha = JSON.parse(await ok('get', 'backends.v1alpha.core.apoxy.dev', 'kc-v1-read', '-o', 'json'));
    expect(inV1alpha).toEqual({ ...s.body, apiVersion: V1ALPHA, metadata, spec: { endpoints: [], protocol: 'h2' } });
    expect(JSON.parse(await ok('get', 'backends', 'kc-v1-read', '-o', 'json'))).toEqual({ ...s.body, metadata });
    const table = (await ok('get', 'backends.v1alpha.core.apoxy.dev', 'kc-v1-read')).trimEnd().split('\n');
    expect(table[0]).toMatch(/^NAME\s+ENDPOINTS\s+PROTOCOL\s+AGE$/);
    expect(table[1]).toMatch(/^kc-v1-read\s+None\s+h2\s+\d+s$/);
    // Discovery lists v1alpha2 first: the preferred version is the one api-resources shows.
    expect((await ok('api-resources', '--api-group', 'core.apoxy.dev')).trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(/^backends\s+core\.apoxy\.dev\/v1alpha2\s+false\s+Backend$/)]);
    // v1alpha registers no field selector of its own.
    const sel = await kubectl('get', 'backends.v1alpha.core.apoxy.dev', '--field-selector', 'spec.protocol=h2');
    expect(sel.code).toBe(1);
    expect(sel.stderr).toContain('"spec.protocol" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('v1alpha: create -f, apply -f (client-side and server-side), diff, patch and delete -f with a v1alpha manifest', async () => {
    const file = manifest('kc-v1', { spec: { protocol: 'H2' } }, V1ALPHA);
    expect(await ok('create', '-f', file)).toBe('backend.core.apoxy.dev/kc-v1 created\n');
    let s = await stored('kc-v1');
    // Defaulted as v1alpha (protocol lowercased), stored in v1alpha2 with the converted endpoints.
    expect(s.body).toMatchObject({ apiVersion: 'core.apoxy.dev/v1alpha2', spec: { endpoints: [], protocol: 'h2' } });
    expect(s.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl-create', operation: 'Update', apiVersion: V1ALPHA })]);
    const strict = await kubectl('create', '-f', manifest('kc-v1-strict', { spec: { foo: 1 } }, V1ALPHA));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('Backend in version "v1alpha" cannot be handled as a Backend: strict decoding error: unknown field "spec.foo"');

    const applied = manifest('kc-v1-apply', { spec: { endpoints: [{ fqdn: 'v1.example.com' }], protocol: 'h2' } }, V1ALPHA);
    expect(await ok('apply', '-f', applied)).toBe('backend.core.apoxy.dev/kc-v1-apply created\n');
    expect(await ok('apply', '-f', applied)).toBe('backend.core.apoxy.dev/kc-v1-apply unchanged\n');
    const edited = manifest('kc-v1-apply', { spec: { endpoints: [{ fqdn: 'v1.example.com' }], protocol: 'tls' } }, V1ALPHA);
    const diff = await kubectl('diff', '-f', edited);
    expect(diff.code).toBe(1); // differences found
    expect(diff.stdout).toMatch(/^-\s+protocol: h2$/m);
    expect(diff.stdout).toMatch(/^\+\s+protocol: tls$/m);
    expect(await ok('apply', '-f', edited)).toBe('backend.core.apoxy.dev/kc-v1-apply configured\n');
    expect((await stored('kc-v1-apply')).body.spec.protocol).toBe('tls');

    const ssa = manifest('kc-v1-ssa', { spec: { protocol: 'h2c' } }, V1ALPHA);
    expect(await ok('apply', '--server-side', '-f', ssa)).toBe('backend.core.apoxy.dev/kc-v1-ssa serverside-applied\n');
    expect((await stored('kc-v1-ssa')).body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply', apiVersion: V1ALPHA })]);

    expect(await ok('patch', 'backends.v1alpha.core.apoxy.dev', 'kc-v1', '-p', '{"spec":{"endpoints":[{"ip":"10.0.0.9"}]}}')).toBe('backend.core.apoxy.dev/kc-v1 patched\n');
    s = await stored('kc-v1');
    expect(s.body.spec).toEqual({ endpoints: [{ ip: '10.0.0.9' }], protocol: 'h2' });
    expect(s.body.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl-patch')).toMatchObject({ apiVersion: V1ALPHA });

    expect(await ok('delete', '-f', file)).toBe('backend.core.apoxy.dev "kc-v1" deleted\n');
    expect((await stored('kc-v1')).status).toBe(404);
  });

  it('v1alpha: explain --api-version=core.apoxy.dev/v1alpha prints v1alpha\'s schema', async () => {
    const top = await ok('explain', 'backends', '--api-version', V1ALPHA);
    expect(top).toMatch(/^GROUP:\s+core\.apoxy\.dev\nKIND:\s+Backend\nVERSION:\s+v1alpha\n/);
    expect(top).toMatch(/^ {2}spec\t<BackendSpec>$/m);
    const field = await ok('explain', 'backends.spec.endpoints', '--api-version', V1ALPHA);
    expect(field).toMatch(/^VERSION:\s+v1alpha\n/m);
    expect(field).toMatch(/^FIELD: endpoints <\[\]BackendEndpoint>$/m);
  });
});
