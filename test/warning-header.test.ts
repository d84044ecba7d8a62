/**
 * Warning headers as kube-apiserver writes them, and through a real socket: a warning about an
 * unknown field whose name holds any character never turns the response into a 500.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.js';
import { warningHeaders } from '../emulator/http/warning-header.js';
import { BASE, backend } from './harness.js';

describe('Warning headers', () => {
  it('quote only " and \\, drop texts with control characters or broken UTF-16, send duplicates once', () => {
    expect(warningHeaders(['unknown field "spec.a\\b"'])).toEqual(['299 - "unknown field \\"spec.a\\\\b\\""']);
    expect(warningHeaders(['a', '', 'a', 'tab\there', 'c1\u0085', 'lone \ud800', 'b'])).toEqual(['299 - "a"', '299 - "b"']);
    // Non-ASCII text goes out as its UTF-8 bytes (Node writes header strings as latin1).
    expect(Buffer.from(warningHeaders(['é'])[0], 'latin1').toString('utf8')).toBe('299 - "é"');
  });

  it('past 4096 runes in all, cut every warning to 256 runes, and stop adding once the cut ones fill it', () => {
    const long = (c: string) => c.repeat(1000);
    const five = ['a', 'b', 'c', 'd', 'e'].map(long);
    const out = warningHeaders(five);
    expect(out).toEqual(five.map((w) => `299 - "${w.slice(0, 256)}"`));
    const many = Array.from({ length: 40 }, (_, i) => String(i).padEnd(300, 'x'));
    expect(warningHeaders(many)).toHaveLength(16); // 16 x 256 = 4096, then nothing more
    expect(warningHeaders(['short', 'x'.repeat(4000)])).toEqual(['299 - "short"', `299 - "${'x'.repeat(4000)}"`]);
  });

  it('an unknown field with any name is warned about without breaking the response', async () => {
    const emulator = await createEmulator();
    try {
      const url = await emulator.listen(0);
      const res = await fetch(url + BASE, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...backend('odd'), spec: { protocol: '', 'ñ\u4e2d\u0001': 1, 'plain"q': 2 } }),
      });
      expect(res.status).toBe(201);
      const warning = Buffer.from(res.headers.get('warning') ?? '', 'latin1').toString('utf8');
      expect(warning).toContain('ñ中');
      expect(warning).toContain('plain\\\\\\"q');
    } finally {
      await emulator.close();
    }
  });
});
