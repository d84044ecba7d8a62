/**
 * A write is acknowledged only once it is on disk: the answer waits for the journal's fdatasync.
 * A process kill cannot show this (the OS still holds what was written), so the flush itself is
 * held back here, through the file handle's datasync, and the answer must wait for it.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { BASE, backend, tempDir } from './helpers.js';

/** FileHandle's prototype (the class itself is not exported by node:fs/promises). */
async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const fh = await open(join(dir, 'probe'), 'w');
  await fh.close();
  return Object.getPrototypeOf(fh) as FileHandle;
}

const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 300))]);

describe('acknowledgment waits for the flush', () => {
  const tmp = tempDir();
  let emulator: Emulator | undefined;
  let release = () => {};
  afterEach(async () => {
    release(); // a failed assertion must not leave a flush held
    vi.restoreAllMocks();
    await emulator?.close();
    emulator = undefined;
  });
  afterAll(() => tmp.cleanup());

  it.each([
    ['a create', 'POST', BASE, backend('held'), 'application/json', 201],
    ['a merge patch', 'PATCH', `${BASE}/base`, { metadata: { labels: { v: '1' } } }, 'application/merge-patch+json', 200],
    ['a delete', 'DELETE', `${BASE}/base`, undefined, 'application/json', 200],
  ] as const)('%s is answered only after its journal line is fdatasync\'d', async (_, method, path, body, contentType, status) => {
    emulator = await createEmulator({ dataFile: join(tmp.dir, `${method}.json`) });
    const url = await emulator.listen(0);
    expect((await fetch(url + BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(backend('base')) })).status).toBe(201);

    const proto = await fileHandlePrototype(tmp.dir);
    const real = proto.datasync;
    const gate = new Promise<void>((r) => (release = r));
    const synced: string[] = [];
    const spy = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: FileHandle) {
      await gate;
      await real.call(this);
      synced.push('datasync');
    });

    const answer = fetch(url + path, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => {
      synced.push('answer');
      return r;
    });
    expect(await settled(answer)).toBe(false); // held while the flush is
    expect(spy).toHaveBeenCalled();
    release();
    expect((await answer).status).toBe(status);
    expect(synced).toEqual(['datasync', 'answer']);
  });
});
