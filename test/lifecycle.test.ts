import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.js';

const dataFile = () => join(mkdtempSync(join(tmpdir(), 'apoxy-lifecycle-')), 'backends.json');

describe('createEmulator lifecycle', () => {
  it('a second emulator in the same process may not open a data file in use', async () => {
    const data = dataFile();
    const first = await createEmulator({ dataFile: data });
    await expect(createEmulator({ dataFile: data })).rejects.toThrow(/is in use by another apoxy-emulator/);
    await first.close();
    const again = await createEmulator({ dataFile: data }); // released by close()
    await again.close();
  });

  it('a bad option fails the start without leaving the data file locked', async () => {
    const data = dataFile();
    await expect(createEmulator({ dataFile: data, faults: [{ bogus: 1 }] as never })).rejects.toThrow(/invalid fault rules/);
    expect(existsSync(`${data}.lock`)).toBe(false);
    const e = await createEmulator({ dataFile: data });
    await e.close();
  });
});
