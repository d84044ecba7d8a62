import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { stripContract } from './validators.js';

/** The decode view (profile apoxy) may only accept more than the document: never reject what it accepts. */
describe('stripContract', () => {
  const accepts = (schema: unknown, value: unknown) => new Ajv({ strict: false }).compile(schema as object)(value);

  it('drops the contract-only keywords where that accepts more', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string', enum: ['x'] } }, anyOf: [{ properties: { b: { maxLength: 1 } } }] };
    expect(accepts(schema, { b: 'long' })).toBe(false);
    expect(accepts(stripContract(schema), { b: 'long' })).toBe(true);
    expect(accepts(stripContract(schema), { a: 1 })).toBe(false); // types still hold
  });

  it('keeps not and oneOf as written: stripping there would reject what the document accepts', () => {
    const not = { type: 'object', not: { required: ['legacy'] } };
    const oneOf = { oneOf: [{ type: 'string', enum: ['a'] }, { type: 'string', pattern: '^b' }] };
    for (const [schema, value] of [[not, {}], [oneOf, 'a'], [oneOf, 'b']] as const) {
      expect(accepts(schema, value)).toBe(true);
      expect(accepts(stripContract(schema), value)).toBe(true);
    }
  });
});
