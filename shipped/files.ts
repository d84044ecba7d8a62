/**
 * The files the package ships beside its code: openapi.yaml, proto/, fixtures/, the contract
 * scenarios and known divergences, package.json, the dashboard built into dist/dashboard/. In the npm package (or a clone) they are files
 * under the package folder; in the single-file executable (`npm run build:binary`) they are its
 * SEA assets, with `shipped-files.json` listing their names since assets cannot be listed.
 * Both emulator/ and contracts/ find their files here, so neither needs to know which it is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAsset, isSea } from 'node:sea';

/** The asset that lists every other asset's name (written by binary/build.ts). */
export const ASSET_LIST = 'shipped-files.json';

const inExecutable = isSea();
let root: string | undefined;
let assetNames: string[] | undefined;

/** The package folder (where package.json and openapi.yaml are), or undefined in the executable. */
export function packageRoot(): string | undefined {
  if (inExecutable) return undefined;
  if (root) return root;
  // shipped/files.ts in a clone, dist/shipped/files.js in the package: the first folder above with both.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'openapi.yaml'))) return (root = dir);
  }
  throw new Error('the apoxy-emulator package folder (package.json beside openapi.yaml) was not found');
}

function assets(): string[] {
  return (assetNames ??= JSON.parse(getAsset(ASSET_LIST, 'utf8')) as string[]);
}

/** Where a shipped file is, for messages: a path on disk, or `<executable>#name` for an asset. */
export function shippedLocation(rel: string): string {
  return inExecutable ? `${process.execPath}#${rel}` : join(packageRoot()!, rel);
}

export function isShipped(rel: string): boolean {
  return inExecutable ? assets().includes(rel) : existsSync(join(packageRoot()!, rel));
}

/** The text of a shipped file, e.g. readShipped('openapi.yaml'). */
export function readShipped(rel: string): string {
  if (!inExecutable) return readFileSync(join(packageRoot()!, rel), 'utf8');
  if (!assets().includes(rel)) throw new Error(`${rel} is not built into this executable`);
  return getAsset(rel, 'utf8');
}

/** The bytes of a shipped file (the dashboard's built files). */
export function readShippedBytes(rel: string): Buffer {
  if (!inExecutable) return readFileSync(join(packageRoot()!, rel));
  if (!assets().includes(rel)) throw new Error(`${rel} is not built into this executable`);
  return Buffer.from(getAsset(rel));
}

/** Whether the code runs inside the single-file executable (its files are assets, not on disk). */
export const runsAsExecutable = (): boolean => inExecutable;

/** The names of the files directly in a shipped folder whose names end with one of `extensions`, sorted. */
export function listShipped(folder: string, extensions: string[]): string[] {
  const names = inExecutable
    ? assets().filter((a) => a.startsWith(`${folder}/`) && !a.slice(folder.length + 1).includes('/')).map((a) => a.slice(folder.length + 1))
    : readdirSync(join(packageRoot()!, folder), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  return names.filter((n) => extensions.some((x) => n.endsWith(x))).sort();
}

/** The package's version (package.json), for `--version`. */
export function packageVersion(): string {
  return (JSON.parse(readShipped('package.json')) as { version: string }).version;
}
