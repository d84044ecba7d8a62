/**
 * docs/architecture.md, "Adding a resource", followed step by step with a made-up resource:
 * `Gadget` in group example.apoxy.dev/v1, described in a scratch copy of openapi.yaml (its
 * paths and schemas) and by one ResourceDefinition. No machinery, http or store code is
 * written for it: routes, decoding, validation, discovery, OpenAPI, Table, watch, selectors and
 * the admin API all come from the description, and Backend is served as before beside it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { describeApi, emulate, type Emulator } from '../emulator/emulator.js';
import { readShipped } from '../shipped/files.js';
import { fieldError, type FieldError } from '../emulator/machinery/field-errors.js';
import { shortHumanDuration } from '../emulator/machinery/human-duration.js';
import { resources } from '../emulator/resources/index.js';
import type { KubeObject, ResourceDefinition } from '../emulator/resources/types.js';
import { BASE, backend } from './harness.js';
import { readContractDocument } from '../contracts/openapi/document.js';
import { connect } from '../contracts/runner/client.js';
import { runScenarios } from '../contracts/runner/run.js';
import { newRunId } from '../contracts/runner/safety.js';
import { loadScenarios } from '../contracts/runner/scenarios.js';

// ---- Step 1: openapi.yaml: the kind's schemas, and its paths -------------------------------

const SCHEMAS = parse(`
example.apoxy.dev.v1.Gadget:
  description: A Gadget, to show how a resource is added.
  type: object
  properties:
    apiVersion: { type: string }
    kind: { type: string }
    metadata:
      default: {}
      $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    spec:
      default: {}
      $ref: "#/components/schemas/example.apoxy.dev.v1.GadgetSpec"
  x-kubernetes-group-version-kind:
    - { group: example.apoxy.dev, kind: Gadget, version: v1 }
example.apoxy.dev.v1.GadgetSpec:
  type: object
  properties:
    color: { type: string, enum: [red, green, blue] }
    size: { type: integer, format: int32 }
    warmUp: { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Duration" }
example.apoxy.dev.v1.GadgetList:
  type: object
  required: [items]
  properties:
    apiVersion: { type: string }
    kind: { type: string }
    metadata:
      default: {}
      $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    items:
      type: array
      items: { $ref: "#/components/schemas/example.apoxy.dev.v1.Gadget" }
  x-kubernetes-group-version-kind:
    - { group: example.apoxy.dev, kind: GadgetList, version: v1 }
`) as Record<string, unknown>;

/**
 * The paths: the standard Kubernetes operations (x-kubernetes-action and
 * x-kubernetes-group-version-kind on each), here Backend's renamed, without a status subresource.
 */
function gadgetPaths(paths: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith('/apis/core.apoxy.dev/v1alpha2/backends') || path.endsWith('/status')) continue;
    const renamed = JSON.stringify(item)
      .replaceAll('com.github.apoxy-dev.apoxy.api.core.v1alpha2.Backend', 'example.apoxy.dev.v1.Gadget')
      .replaceAll('CoreApoxyDevV1alpha2Backend', 'ExampleApoxyDevV1Gadget')
      .replaceAll('"group":"core.apoxy.dev"', '"group":"example.apoxy.dev"')
      .replaceAll('"version":"v1alpha2"', '"version":"v1"')
      .replaceAll('"kind":"Backend"', '"kind":"Gadget"');
    out[path.replace('/apis/core.apoxy.dev/v1alpha2/backends', '/apis/example.apoxy.dev/v1/gadgets')] = JSON.parse(renamed);
  }
  return out;
}

// ---- Step 2: the ResourceDefinition: only what is the Gadget's own ----------------------------

const gadget: ResourceDefinition = {
  group: 'example.apoxy.dev',
  // One version, stored as it is served; a second would say how it converts to and from this one.
  versions: [
    {
      name: 'v1',
      storage: true,
      applyDefaults(obj: KubeObject) {
        const spec = obj.spec as { color?: string } | undefined;
        if (spec && spec.color === undefined) spec.color = 'red';
      },
      selectableFields: ['spec.color'],
    },
  ],
  kind: 'Gadget',
  listKind: 'GadgetList',
  plural: 'gadgets',
  singular: 'gadget',
  namespaced: false,
  shortNames: ['gd'],
  subresources: [],
  goPointers: { GadgetSpec: ['warmUp'] },
  validate(obj: KubeObject): FieldError[] {
    const size = (obj.spec as { size?: number } | undefined)?.size;
    return size !== undefined && size < 0 ? [fieldError.invalid('spec.size', size, 'must be greater than or equal to 0')] : [];
  },
  fieldSelectors: {
    'metadata.name': (o) => o.metadata.name ?? '',
    'spec.color': (o) => String((o.spec as { color?: string } | undefined)?.color ?? ''),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the gadget', priority: 0 },
      { name: 'Color', type: 'string', format: '', description: 'Gadget color', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
    ],
    cells: (obj, now) => [obj.metadata.name ?? '', (obj.spec as { color?: string }).color ?? '', shortHumanDuration(now.getTime() - Date.parse(obj.metadata.creationTimestamp!))],
  },
};

// ---- Step 3: serve both (resources/index.ts lists the definitions) ------------------------------

const G = '/apis/example.apoxy.dev/v1/gadgets';
let dir: string;
let emulator: Emulator;
let api: ReturnType<typeof request>;
let url: string | undefined;
/** The emulator on a real port, opened once. */
const listening = async () => (url ??= await emulator.listen(0));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apoxy-gadget-'));
  const doc = parse(readShipped('openapi.yaml'));
  doc.paths = { ...doc.paths, ...gadgetPaths(doc.paths) };
  doc.components.schemas = { ...doc.components.schemas, ...SCHEMAS };
  const file = join(dir, 'openapi.yaml');
  writeFileSync(file, stringify(doc));
  emulator = await emulate(describeApi(file, [...resources, gadget]), { validateResponses: true });
  api = request(emulator.app);
});
afterAll(async () => {
  expect(emulator.responseProblems).toEqual([]); // every response matched the scratch document
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adding a resource is a description: a Gadget served beside Backend', () => {
  it('creates, defaults, reads, lists with selectors, patches and deletes, with the generic machinery', async () => {
    const created = await api.post(G).send({ apiVersion: 'example.apoxy.dev/v1', kind: 'Gadget', metadata: { name: 'g1', labels: { tier: 'edge' } }, spec: { size: 3, warmUp: '90s' } }).expect(201);
    expect(created.body).toMatchObject({ kind: 'Gadget', apiVersion: 'example.apoxy.dev/v1', metadata: { name: 'g1', resourceVersion: '1' }, spec: { size: 3, color: 'red', warmUp: '1m30s' } });
    expect(created.body.metadata.managedFields[0]).toMatchObject({ operation: 'Update', apiVersion: 'example.apoxy.dev/v1' });
    await api.post(G).send({ metadata: { name: 'g2' }, spec: { color: 'blue' } }).expect(201);
    expect((await api.get(`${G}/g1`).expect(200)).body.spec.color).toBe('red');
    expect((await api.get(`${G}?fieldSelector=spec.color%3Dblue`).expect(200)).body.items.map((i: KubeObject) => i.metadata.name)).toEqual(['g2']);
    expect((await api.get(`${G}?labelSelector=tier%3Dedge`).expect(200)).body).toMatchObject({ kind: 'GadgetList', items: [{ metadata: { name: 'g1' } }] });
    const patched = await api.patch(`${G}/g1`).set('Content-Type', 'application/merge-patch+json').send({ spec: { color: 'green' } }).expect(200);
    expect(patched.body.spec).toEqual({ size: 3, color: 'green', warmUp: '1m30s' });
    const status = await api.delete(`${G}/g2`).expect(200);
    expect(status.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'g2', group: 'example.apoxy.dev', kind: 'gadgets' } });
    await api.get(`${G}/g2`).expect(404);
  });

  it("answers bad input with the resource's own rules and the decoder's, as Status bodies", async () => {
    const invalid = await api.post(G).send({ metadata: { name: 'neg' }, spec: { size: -1 } }).expect(422);
    expect(invalid.body.message).toBe('Gadget.example.apoxy.dev "neg" is invalid: spec.size: Invalid value: -1: must be greater than or equal to 0');
    const undecodable = await api.post(G).send({ metadata: { name: 'bad' }, spec: { size: 'big' } }).expect(400);
    expect(undecodable.body.message).toContain('json: cannot unmarshal string into Go struct field GadgetSpec.spec.size of type int32');
    await api.post(G).send({ metadata: { name: 'x' }, spec: { warmUp: 'soon' } }).expect(400);
    await api.put(`${G}/g1/status`).send({}).expect(404); // no status subresource was described
  });

  it('is in discovery, the OpenAPI v3 index and server-side printing; Backend is unchanged beside it', async () => {
    const groups = (await api.get('/apis').expect(200)).body.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(['core.apoxy.dev', 'example.apoxy.dev']);
    const list = (await api.get('/apis/example.apoxy.dev/v1').expect(200)).body;
    expect(list.resources).toEqual([
      { name: 'gadgets', singularName: 'gadget', namespaced: false, kind: 'Gadget', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['gd'], storageVersionHash: expect.any(String) },
    ]);
    expect(Object.keys((await api.get('/openapi/v3').expect(200)).body.paths)).toEqual(['apis/core.apoxy.dev/v1alpha2', 'apis/core.apoxy.dev/v1alpha', 'apis/example.apoxy.dev/v1']);
    const table = (await api.get(G).set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io').expect(200)).body;
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Color', 'Age']);
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2))).toEqual([['g1', 'green']]);
    await api.post(BASE).send(backend('web')).expect(201);
    expect((await api.get(`${BASE}/web`).expect(200)).body.kind).toBe('Backend');
    const snapshot = (await api.get('/_emulator/snapshot').expect(200)).body;
    expect(Object.keys(snapshot.resources).sort()).toEqual(['backends', 'gadgets']);
  });

  it('streams watch events for it', async () => {
    const res = await fetch(`${await listening()}${G}?watch=1&timeoutSeconds=1`);
    const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: KubeObject });
    expect(events.map((e) => `${e.type} ${e.object.kind} ${e.object.metadata.name}`)).toEqual(['ADDED Gadget g1']);
  });
});

// ---- Step 4 (nothing to do): the contract suite tests it from the same document ------------------

const GADGET_SCENARIO = `
id: gadgets
title: A resource the suite was never told about, tested from the document alone
resource: gadgets.example.apoxy.dev
steps:
  - name: create
    request: { method: POST, path: "\${base}", body: { apiVersion: example.apoxy.dev/v1, kind: Gadget, metadata: { name: "\${name:g}" }, spec: { size: 3 } } }
    expect: { status: 201, body: { kind: Gadget, spec.color: red } }
    capture: { uid: metadata.uid }
  - name: invalid size
    negative: true
    request: { method: POST, path: "\${base}", body: { metadata: { name: "\${name:neg}" }, spec: { size: -1 } } }
    expect: { status: 422, reason: Invalid }
  - name: list, only the run's
    request: { method: GET, path: "\${base:v1}" }
    expect: { status: 200, body: { kind: GadgetList, items: { length: 1 }, "items[0].metadata.uid": "\${uid}" } }
  - name: watch a delete
    watch:
      then:
        - name: delete
          request: { method: DELETE, path: "\${base}/\${name:g}" }
          expect:
            status: 200
            exactBody: { kind: Status, apiVersion: v1, metadata: {}, status: Success, details: { name: "\${name:g}", group: example.apoxy.dev, kind: gadgets, uid: "\${uid}" } }
      events: [{ type: ADDED, object: { kind: Gadget } }, { type: DELETED, object: { metadata.uid: "\${uid}" } }]
  - name: leave one behind for the cleanup
    request: { method: POST, path: "\${base}", body: { metadata: { name: "\${name:left}" }, spec: {} } }
    expect: { status: 201 }
`;

describe('the contract suite tests a new resource with no runner change', () => {
  it('runs a scenario against Gadget from the scratch document: paths, kinds, safety guard, checks and cleanup follow from it', async () => {
    const scenarios = join(dir, 'scenarios');
    mkdirSync(scenarios);
    writeFileSync(join(scenarios, 'gadgets.yaml'), GADGET_SCENARIO);
    const doc = readContractDocument(join(dir, 'openapi.yaml'));
    const target = connect({ target: await listening(), headers: {} });
    try {
      const report = await runScenarios({ target, doc, profile: 'apoxy', scenarios: loadScenarios([scenarios]), runId: newRunId() });
      const failures = report.results.flatMap((r) => r.failures.map((f) => `${f.step} [${f.check}] ${f.message}`));
      expect(failures).toEqual([]);
      expect(report.counts.passed).toBe(1);
      const paths = report.results[0].exchanges.map((e) => `${e.exchange.method} ${e.exchange.path}`);
      expect(paths).toContain(`POST ${G}`);
      expect(paths).toContain(`DELETE ${G}/${report.runId}-s0-g`);
      // The cleanup found what the scenario left in the gadgets collection; g1 (not the run's) is untouched.
      expect(report.cleanup).toMatchObject({ deleted: 1, remaining: [], errors: [] });
      const names = (await api.get(G).expect(200)).body.items.map((i: KubeObject) => i.metadata.name);
      expect(names).toEqual(['g1']);
    } finally {
      await target.close();
    }
  });
});
