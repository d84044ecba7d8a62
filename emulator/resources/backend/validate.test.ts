/** Backend's own validate() (backend_validate.go), rule by rule, with the real server's field paths. */
import { describe, expect, it } from 'vitest';
import { validateBackend } from './validate.js';

const check = (spec: unknown) => validateBackend({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'b' }, spec } as never).map((e) => [e.type, e.field, e.detail, e.value]);

describe('validateBackend', () => {
  it('accepts one fqdn or one ip per endpoint, and any number of endpoints without a dynamic proxy', () => {
    expect(check({ endpoints: [{ fqdn: 'a.example.com' }, { ip: '10.0.0.1' }, { ip: '::1' }] })).toEqual([]);
    expect(check({ endpoints: [] })).toEqual([]);
    expect(check({})).toEqual([]);
    expect(check(undefined)).toEqual([]);
    expect(check({ endpoints: [{}] })).toEqual([]);
    expect(check({ endpoints: [null] })).toEqual([]); // decoded as an empty endpoint
    expect(check({ dynamicProxy: {}, endpoints: [{ fqdn: 'a.example.com' }] })).toEqual([]);
  });

  it('with a dynamic proxy: exactly one endpoint', () => {
    expect(check({ dynamicProxy: {}, endpoints: [] })).toEqual([['FieldValueRequired', 'spec.endpoints', 'endpoints cannot be empty', undefined]]);
    expect(check({ dynamicProxy: {} })).toEqual([['FieldValueRequired', 'spec.endpoints', 'endpoints cannot be empty', undefined]]);
    expect(check({ dynamicProxy: {}, endpoints: [{ fqdn: 'a.example.com' }, { fqdn: 'b.example.com' }] })).toEqual([['FieldValueForbidden', 'spec.endpoints', 'only one endpoint can be specified', undefined]]);
    expect(check({ dynamicProxy: null, endpoints: [] })).toEqual([]);
  });

  it('an endpoint: not both ip and fqdn, a valid ip, a valid fqdn; errors accumulate, paths as the real server writes them', () => {
    expect(check({ endpoints: [{ fqdn: 'a.example.com' }, { ip: '10.0.0.1', fqdn: 'b.example.com' }] })).toEqual([['FieldValueForbidden', 'spec.endpoints.[1].ip', 'ip and fqdn cannot be specified together', undefined]]);
    expect(check({ endpoints: [{ ip: '10.0.0.300' }] })).toEqual([['FieldValueInvalid', 'spec.endpoints.[0].ip', 'invalid ip address', '10.0.0.300']]);
    expect(check({ endpoints: [{ ip: 'nope', fqdn: 'a.example.com' }] })).toEqual([
      ['FieldValueForbidden', 'spec.endpoints.[0].ip', 'ip and fqdn cannot be specified together', undefined],
      ['FieldValueInvalid', 'spec.endpoints.[0].ip', 'invalid ip address', 'nope'],
    ]);
    const bad = check({ endpoints: [{ fqdn: 'a.example.com' }, { fqdn: 'no_underscores.example.com' }] });
    expect(bad).toHaveLength(1);
    expect(bad[0].slice(0, 2)).toEqual(['FieldValueInvalid', 'spec.endpoints.[1].fqdn']);
    expect(check({ endpoints: [{ fqdn: 'single' }] })).toHaveLength(1); // a FQDN has at least two labels
    expect(check({ dynamicProxy: {}, endpoints: [{ ip: 'x' }, { ip: 'y' }] })).toHaveLength(3);
  });
});
