/**
 * The data file's format: the whole state after a clean stop, made for people and for git.
 *
 *   {
 *     "format": "apoxy-emulator/v2",
 *     "resourceVersion": 7,
 *     "resources": {
 *       "backends": [
 *         {
 *           "kind": "Backend",
 *           ...
 *         }
 *       ]
 *     }
 *   }
 *
 * The text is exactly `JSON.stringify(data, null, 2)` and a newline: one field a line, resources
 * and objects in name order, each object's fields in the order the emulator stores them (the Go
 * types' order). Changing one object changes that object's lines and the resourceVersion line.
 *
 * Reading checks what the store relies on (JSON, names, one object per name, resourceVersions)
 * and refuses anything else without touching the file. Whether an object is a valid Backend is
 * not the store's business: machinery/stored-objects.ts warns about that once the API is up.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { KubeObject } from '../resources/types.js';

export const DATA_FORMAT = 'apoxy-emulator/v2';
/** The first format: objects in a map keyed by name. Read, never written. */
const MAP_FORMAT = 'apoxy-emulator/v1';

export class DataFileError extends Error {}

export type Tables = [resource: string, objects: KubeObject[]][];

export interface DataFileContents {
  resourceVersion: number;
  /** Each resource's objects in name order. */
  tables: Tables;
  /** What the reader put right, for a person to hear (a resourceVersion given to a hand-added object). */
  notes: string[];
  /** The file does not hold the state in the current layout (older format, order, assigned resourceVersions). */
  stale: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const VALID_RV = /^[1-9][0-9]{0,15}$/;

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where JSON.parse gave up, worded for a person: `<file>:<line>:<column>: ...`. */
function syntaxError(path: string, text: string, e: Error): DataFileError {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  let offset: number | undefined = errors[0]?.offset;
  let what = errors[0] ? printParseErrorCode(errors[0].error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : undefined;
  if (offset === undefined) {
    const m = / in JSON at position (\d+)/.exec(e.message);
    offset = m ? Number(m[1]) : text.length;
    what = e.message.replace(/ in JSON at position \d+.*$/, '');
  }
  if (!text.trim()) what = 'the file is empty';
  const { line, column } = lineAndColumn(text, offset);
  return new DataFileError(`${path}:${line}:${column}: not valid JSON: ${what}`);
}

/** The line a value starts on (the text is valid JSON). */
function lineOf(text: string, at: (string | number)[]): number | undefined {
  const tree = parseTree(text);
  const node = tree && findNodeAtLocation(tree, at);
  return node && lineAndColumn(text, node.offset).line;
}

/** `<file>:<line>: resources.backends[3]`, for messages about one value. */
function locate(path: string, text: string, at: (string | number)[]): string {
  const line = lineOf(text, at);
  const where = at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
  return `${path}${line ? `:${line}` : ''}: ${where}`;
}

/** Reads and checks the data file; undefined when there is none. Never modifies the file. */
export function readDataFile(path: string): DataFileContents | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // Nearly always ASCII (JSON escapes nothing else, and names are ASCII): a copy instead of a
  // UTF-8 decode, about 10 ms less per 10,000 objects at start-up.
  const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw syntaxError(path, text, e as Error);
  }
  const expected = `expected {"format": "${DATA_FORMAT}", "resourceVersion": <number>, "resources": {"<resource>": [<object>, ...]}}`;
  if (!isObject(data) || (data.format !== DATA_FORMAT && data.format !== MAP_FORMAT)) {
    throw new DataFileError(`${path} is not valid emulator data: ${expected}`);
  }
  const fileRV = data.resourceVersion;
  if (typeof fileRV !== 'number' || !Number.isSafeInteger(fileRV) || fileRV < 0) {
    throw new DataFileError(`${locate(path, text, ['resourceVersion'])}: must be a whole number, 0 or more (${expected})`);
  }
  if (!isObject(data.resources)) throw new DataFileError(`${locate(path, text, ['resources'])}: must be an object (${expected})`);

  const byMap = data.format === MAP_FORMAT;
  let stale = byMap;
  let maxRV = fileRV;
  const tables: Tables = [];
  const unversioned: KubeObject[] = [];
  const resourceNames = Object.keys(data.resources);
  if (resourceNames.some((r, i) => i > 0 && resourceNames[i - 1] > r)) stale = true;
  for (const resource of resourceNames.sort()) {
    const raw = data.resources[resource];
    if (byMap ? !isObject(raw) : !Array.isArray(raw)) {
      throw new DataFileError(`${locate(path, text, ['resources', resource])}: must be ${byMap ? 'an object' : 'a list of objects'}`);
    }
    const entries: [string | number, unknown][] = byMap ? Object.entries(raw as object) : (raw as unknown[]).map((o, i) => [i, o]);
    const objects: KubeObject[] = [];
    const seen = new Map<string, string | number>();
    for (const [key, obj] of entries) {
      const at = ['resources', resource, key];
      if (!isObject(obj)) throw new DataFileError(`${locate(path, text, at)}: must be an object`);
      const meta = obj.metadata;
      const name = isObject(meta) ? meta.name : undefined;
      if (typeof name !== 'string' || name === '') throw new DataFileError(`${locate(path, text, at)}: an object without metadata.name`);
      if (byMap && name !== key) throw new DataFileError(`${locate(path, text, at)}: the object's metadata.name is ${JSON.stringify(name)}`);
      const first = seen.get(name);
      if (first !== undefined) {
        throw new DataFileError(`${locate(path, text, at)}: a second object named ${JSON.stringify(name)} (the first is at line ${lineOf(text, ['resources', resource, first])})`);
      }
      seen.set(name, key);
      const kube = obj as KubeObject;
      const rv = kube.metadata.resourceVersion;
      if (typeof rv === 'string' && VALID_RV.test(rv)) maxRV = Math.max(maxRV, Number(rv));
      else unversioned.push(kube);
      if (objects.length && objects[objects.length - 1].metadata.name! > name) stale = true;
      objects.push(kube);
    }
    if (stale) objects.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    tables.push([resource, objects]);
  }

  // A hand-added object without a resourceVersion gets the next one, as etcd gives every key a
  // revision; in file order, so that a restart before the next fold gives the same numbers.
  const notes: string[] = [];
  for (const obj of unversioned) {
    const given = String(++maxRV);
    notes.push(`${obj.kind ?? 'object'} ${JSON.stringify(obj.metadata.name)}: metadata.resourceVersion ${obj.metadata.resourceVersion === undefined ? 'is missing' : `${JSON.stringify(obj.metadata.resourceVersion)} is not a resourceVersion`}; it is now ${given}`);
    obj.metadata.resourceVersion = given;
    stale = true;
  }
  return { resourceVersion: maxRV, tables, notes, stale };
}

/**
 * Each object's text as it sits in the file (indented three levels), kept while the object
 * lives: stored objects are immutable, so a fold re-encodes only the objects written since the
 * last one.
 */
const objectText = new WeakMap<KubeObject, string>();
const OBJECT_INDENT = '      ';

function textOf(obj: KubeObject): string {
  let text = objectText.get(obj);
  if (text === undefined) {
    text = OBJECT_INDENT + JSON.stringify(obj, null, 2).replace(/\n/g, `\n${OBJECT_INDENT}`);
    objectText.set(obj, text);
  }
  return text;
}

/** The text is handed over in chunks of about this many characters, each joined in one go. */
const CHUNK_CHARS = 256 * 1024;

/**
 * The file's text for a state, in chunks (joined, they are the file). With `sliceMs`, the work is
 * cut into slices of about that long with the event loop free between them: a fold of a large
 * store must not hold requests up.
 */
export async function renderDataFile(resourceVersion: number, tables: Tables, sliceMs?: number): Promise<string[]> {
  let sliceStart = performance.now();
  const chunks: string[] = [];
  let parts: string[] = [`{\n  "format": ${JSON.stringify(DATA_FORMAT)},\n  "resourceVersion": ${resourceVersion},\n  "resources": {`];
  let size = 0;
  const add = (text: string) => {
    parts.push(text);
    size += text.length;
    if (size >= CHUNK_CHARS) {
      chunks.push(parts.join(''));
      parts = [];
      size = 0;
    }
  };
  const sorted = [...tables].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [i, [resource, objects]] of sorted.entries()) {
    add(`${i ? ',' : ''}\n    ${JSON.stringify(resource)}: [`);
    for (let j = 0; j < objects.length; j++) {
      add(j ? ',\n' : '\n');
      add(textOf(objects[j]));
      if (sliceMs !== undefined && (j & 15) === 15 && performance.now() - sliceStart > sliceMs) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    add(objects.length ? '\n    ]' : ']');
  }
  parts.push(sorted.length ? '\n  }\n}\n' : '}\n}\n');
  chunks.push(parts.join(''));
  return chunks;
}
