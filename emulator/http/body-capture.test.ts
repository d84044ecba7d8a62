import { describe, expect, it } from 'vitest';
import { BodyArena, loggedBody } from './body-capture.js';

const text = (arena: BodyArena, [at, length]: [number, number]) => arena.read(at, length)?.toString('utf8');

describe('the request log body arena', () => {
  it('keeps bodies in one circular buffer, each in one piece, and says which were written over', () => {
    const arena = new BodyArena(10);
    const a = arena.store(['abc', Buffer.from('def')], 100);
    const b = arena.store([Buffer.from('ghij')], 100);
    expect([text(arena, a), text(arena, b)]).toEqual(['abcdef', 'ghij']);
    const c = arena.store(['kl'], 100); // no room at the end: back to the start, over "ab"
    expect([text(arena, a), text(arena, b), text(arena, c)]).toEqual([undefined, 'ghij', 'kl']);
    const d = arena.store(['mnopqrst'], 100); // over the rest of "abcdef" and into "ghij"
    expect([text(arena, b), text(arena, c), text(arena, d)]).toEqual([undefined, 'kl', 'mnopqrst']);
    expect(loggedBody(arena, { at: a[0], length: a[1], bytes: 6, contentType: 'text/plain' })).toEqual({ contentType: 'text/plain', bytes: 6, evicted: true });
  });

  it('keeps at most the limit, whole UTF-8 characters only, and reports binary bodies as base64', () => {
    const arena = new BodyArena(64);
    const cut = arena.store(['aé€b'], 4); // a (1) + é (2); € (3) would not fit
    expect(text(arena, cut)).toBe('aé');
    expect(loggedBody(arena, { at: cut[0], length: cut[1], bytes: 7, contentType: undefined })).toEqual({ bytes: 7, truncated: true, text: 'aé' });
    const bin = arena.store([Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30])], 64);
    expect(loggedBody(arena, { at: bin[0], length: bin[1], bytes: 5, contentType: 'application/x-protobuf' })).toEqual({ contentType: 'application/x-protobuf', bytes: 5, base64: 'CgMyLjA=' });
  });
});
