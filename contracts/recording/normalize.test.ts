/** What a recording replaces, and what it keeps: identities, shapes, and never a credential. */
import { describe, expect, it } from 'vitest';
import { Normalizer } from './normalize.js';

const RUN = 'ct-abcdefgh';
const now = new Date('2026-03-04T05:06:07Z');
const normalizer = (secrets: string[] = []) => new Normalizer({ runId: RUN, scenarioNo: 7, from: now, to: now, secrets });
const UID_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const UID_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('Normalizer', () => {
  it('keeps identity: the same uid, resourceVersion or continue token is the same placeholder throughout', () => {
    const n = normalizer();
    const body = {
      metadata: { name: `${RUN}-s7-web`, uid: UID_A, resourceVersion: '41', labels: { 'contracts.apoxy.dev/run': RUN, 'contracts.apoxy.dev/scenario': 's7' } },
      other: { uid: UID_B, resourceVersion: '42', continue: 'eyJ2IjoxfQ' },
      again: { uid: UID_A.toUpperCase(), resourceVersion: '41', continue: 'eyJ2IjoxfQ' },
      message: `Precondition failed: UID in precondition: ${UID_B}, UID in object meta: ${UID_A}`,
    };
    expect(n.value(body)).toEqual({
      metadata: { name: '<prefix>-web', uid: '<uid:1>', resourceVersion: '<rv:1>', labels: { 'contracts.apoxy.dev/run': '<run>', 'contracts.apoxy.dev/scenario': '<scenario>' } },
      other: { uid: '<uid:2>', resourceVersion: '<rv:2>', continue: '<continue:1>' },
      again: { uid: '<uid:1>', resourceVersion: '<rv:1>', continue: '<continue:1>' },
      message: 'Precondition failed: UID in precondition: <uid:2>, UID in object meta: <uid:1>',
    });
    expect(n.string(`labelSelector=contracts.apoxy.dev/run=${RUN},contracts.apoxy.dev/scenario=s7`)).toBe('labelSelector=contracts.apoxy.dev/run=<run>,contracts.apoxy.dev/scenario=<scenario>');
    expect(n.string('Timeout: Too large resource version: 9007199254740991, current: 42')).toBe('Timeout: Too large resource version: <rv:3>, current: <rv:2>');
    expect(n.string('{"metadata":{"resourceVersion":"41"}}… (3145800 characters in all)')).toBe('{"metadata":{"resourceVersion":"<rv:1>"}}… (3145800 characters in all)');
    // Other scenarios' label values and numbers that are not resourceVersions stay.
    expect(n.value({ 'contracts.apoxy.dev/scenario': 's8', generation: 41, resourceVersion: '' })).toEqual({ 'contracts.apoxy.dev/scenario': 's8', generation: 41, resourceVersion: '' });
  });

  it('names a generated name by the generateName it came from, wherever it appears', () => {
    const n = normalizer();
    n.learnGenerated({ metadata: { generateName: `${RUN}-s7-gen-` } }, { metadata: { name: `${RUN}-s7-gen-x7k2p` } });
    n.learnGenerated({ metadata: { name: 'given', generateName: 'g-' } }, { metadata: { name: 'given' } }); // a name wins: nothing generated
    expect(n.string(`/apis/core.apoxy.dev/v1alpha2/backends/${RUN}-s7-gen-x7k2p`)).toBe('/apis/core.apoxy.dev/v1alpha2/backends/<prefix>-gen-<generated:1>');
    expect(n.string(`${RUN}-s7-other`)).toBe('<prefix>-other'); // a five-letter name is not mistaken for a suffix
    expect(n.string('given')).toBe('given');
  });

  it('replaces timestamps of the run by their shape, and leaves other dates alone', () => {
    const n = normalizer();
    expect(n.value({ creationTimestamp: '2026-03-04T05:06:09Z', time: '2026-03-04T05:06:09.123Z', t: '2026-03-04T05:06:09+00:00' })).toEqual({
      creationTimestamp: '<time>', time: '<time:0000-00-00T00:00:00.000Z>', t: '<time:0000-00-00T00:00:00+00:00>',
    });
    expect(n.value({ lastTransitionTime: '2024-01-01T00:00:00Z', buildDate: '1970-01-01T00:00:00Z' })).toEqual({ lastTransitionTime: '2024-01-01T00:00:00Z', buildDate: '1970-01-01T00:00:00Z' });
  });

  it("turns a Table's Age cells into <age>, and only those", () => {
    const table = { kind: 'Table', columnDefinitions: [{ name: 'Name' }, { name: 'Age' }], rows: [{ cells: [`${RUN}-s7-a`, '3s'] }, { cells: ['b', '2m3s'] }, { cells: ['c', 'yesterday'] }] };
    expect((normalizer().value(table) as typeof table).rows.map((r) => r.cells)).toEqual([['<prefix>-a', '<age>'], ['b', '<age>'], ['c', 'yesterday']]);
  });

  it('never keeps a credential, even inside other text; tiny values are not treated as secrets', () => {
    const n = normalizer(['Bearer tok-123456', 'tok-123456', 'k3y-value', 'x']);
    expect(n.value({ message: 'seen Bearer tok-123456 and k3y-value', 'k3y-value': 1, x: 'x' })).toEqual({ message: 'seen <redacted> and <redacted>', '<redacted>': 1, x: 'x' });
  });
});
