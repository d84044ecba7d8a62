/** Backends as the Kubernetes API serves them, and the paths the dashboard uses to reach them. */
import { parseAllDocuments, stringify } from 'yaml';

export const GROUP = 'core.apoxy.dev';
/** Both served versions: the same objects, whichever reads them. v1alpha2 is the storage version. */
export const VERSIONS = ['v1alpha2', 'v1alpha'] as const;
export type Version = (typeof VERSIONS)[number];

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface Backend {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    managedFields?: ManagedFieldsEntry[];
    [k: string]: unknown;
  };
  spec?: { endpoints?: { fqdn?: string; ip?: string }[] | null; protocol?: string; [k: string]: unknown };
  status?: { conditions?: Condition[]; [k: string]: unknown };
}

export interface BackendList {
  metadata: { resourceVersion: string };
  items: Backend[];
}

export const collectionPath = (version: Version) => `/apis/${GROUP}/${version}/backends`;
export const objectPath = (version: Version, name: string) => `${collectionPath(version)}/${encodeURIComponent(name)}`;

/** The Endpoints column of the server's Table: fqdn, else ip, joined by ","; "None" when empty. */
export function endpointsCell(b: Backend): string {
  const shown = (b.spec?.endpoints ?? []).map((e) => e?.fqdn || e?.ip || '').filter(Boolean);
  return shown.length ? shown.join(',') : 'None';
}

export function readyCondition(b: Backend): Condition | undefined {
  return b.status?.conditions?.find((c) => c.type === 'Ready');
}

export function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * YAML as `kubectl get -o yaml` prints it: kubectl turns the JSON into YAML through
 * sigs.k8s.io/yaml (go-yaml v2), which sorts map keys, does not indent list items under their
 * key and quotes strings that YAML 1.1 would read as something else ("12", "yes", timestamps).
 */
export function toKubectlYaml(value: unknown): string {
  return stringify(value, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * What a person edits and applies: the fields a user sets (apiVersion, kind, name, labels,
 * annotations, finalizers, spec); the server's own fields (uid, resourceVersion, managedFields,
 * status) are left out, as an apply configuration would.
 */
export function editableManifest(b: Backend): string {
  const { name, labels, annotations, finalizers } = b.metadata;
  const metadata: Record<string, unknown> = { name };
  if (labels && Object.keys(labels).length) metadata.labels = labels;
  if (annotations && Object.keys(annotations).length) metadata.annotations = annotations;
  if (finalizers?.length) metadata.finalizers = finalizers;
  return toKubectlYaml({ apiVersion: b.apiVersion, kind: b.kind, metadata, spec: b.spec ?? {} });
}

export const NEW_MANIFEST = `apiVersion: ${GROUP}/v1alpha2
kind: Backend
metadata:
  name: my-backend
  labels:
    app: my-app
spec:
  endpoints:
  - fqdn: my-app.example.com
  protocol: h2
`;

export interface ManifestTarget {
  name: string;
  /** The version the manifest names, when it is one the emulator serves. */
  version: Version | undefined;
}

/**
 * Where a manifest goes: its name and version. Only what is needed to build the URL is read
 * here; the server judges everything else (and answers a wrong apiVersion itself).
 */
export function manifestTarget(text: string): ManifestTarget {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length !== 1) throw new Error(real.length ? `the manifest holds ${real.length} documents; apply one at a time` : 'the manifest is empty');
  const doc = real[0];
  if (doc.errors.length) throw new Error(`the manifest is not valid YAML: ${doc.errors[0].message}`);
  const value = doc.toJS() as { apiVersion?: unknown; metadata?: { name?: unknown } } | null;
  const name = value?.metadata?.name;
  if (typeof name !== 'string' || !name) throw new Error('the manifest needs metadata.name');
  const av = typeof value?.apiVersion === 'string' ? value.apiVersion : '';
  const version = VERSIONS.find((v) => av === `${GROUP}/${v}`);
  return { name, version };
}
