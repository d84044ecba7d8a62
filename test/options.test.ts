/**
 * One validation of the options (emulator/check-options.ts): createEmulator() refuses what the
 * CLI refuses, with the CLI's message (the option named as the caller names it), and refuses
 * what only the programmatic API can express (a misspelt `tls`, an unknown option).
 */
import { describe, expect, it } from 'vitest';
import { createEmulator, EmulatorOptionsError, type EmulatorOptions } from '../emulator/index.js';
import { runCli } from './cli-process.js';

async function refusal(options: Record<string, unknown>): Promise<EmulatorOptionsError> {
  const e = await createEmulator(options as EmulatorOptions).then(
    async (emu) => {
      await emu.close();
      throw new Error(`accepted ${JSON.stringify(options)}`);
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EmulatorOptionsError);
  return e as EmulatorOptionsError;
}

describe('createEmulator() and the CLI validate options with the same code and messages', () => {
  // [flags, the same setting as options, the message with {name} where the option is named]
  const cases: [string[], Record<string, unknown>, string, string][] = [
    [['--profile', 'nope'], { profile: 'nope' }, 'profile', '{name} must be apoxy or documented, got "nope"'],
    [['--simulate-ready', 'soon'], { simulateReady: 'soon' }, 'simulateReady', '{name}: time: invalid duration "soon"'],
    [['--clock', 'fixed:yesterday'], { fixedClock: 'yesterday' }, 'fixedClock', '"yesterday" is not an RFC 3339 time (e.g. 2026-01-01T00:00:00Z)'],
  ];

  for (const [flags, options, key, message] of cases) {
    it(`${flags.join(' ')} / ${JSON.stringify(options)}`, async () => {
      const flag = flags[0];
      const cli = await runCli(['serve', '--port', '0', '--in-memory', ...flags]);
      expect(cli.code).toBe(2);
      const e = await refusal(options);
      expect(e.option).toBe(key);
      const shared = message.includes('{name}') ? message : `{name}: ${message}`;
      // The CLI's --clock parses its "fixed:" prefix first; the RFC 3339 check and its text are shared.
      const cliLine = flag === '--clock' ? message : message.replace('{name}', flag);
      expect(cli.stderr.split('\n')[0]).toBe(`apoxy-emulator: ${cliLine}`);
      expect(e.message).toBe(shared.replace('{name}', key));
    });
  }

  it('the Host and Origin lists: the same parsers, the same messages', async () => {
    for (const [flags, options, key] of [
      [['--cors-allowed-origins', '(unclosed'], { corsAllowedOrigins: ['(unclosed'] }, 'corsAllowedOrigins'],
      [['--allowed-hosts', 'a b'], { allowedHosts: ['a b'] }, 'allowedHosts'],
    ] as const) {
      const e = await refusal(options);
      expect(e.option).toBe(key);
      expect(e.message).toContain(key);
      const cli = await runCli(['serve', '--port', '0', '--in-memory', ...flags]);
      expect(cli.code).toBe(2);
      expect(cli.stderr.split('\n')[0]).toBe(`apoxy-emulator: ${e.message.replace(key, flags[0])}`);
    }
  });

  it('refuses a misspelt tls, a bad certificate, an unknown option and values of the wrong type', async () => {
    expect((await refusal({ tls: 'selfsigned' })).message).toBe('tls must be "self-signed" or { cert, key } (PEM text), got "selfsigned"');
    expect((await refusal({ tls: { cert: 'not a pem', key: 'nor this' } })).message).toMatch(/^tls\.cert is not a PEM certificate/);
    expect((await refusal({ profle: 'documented' })).message).toMatch(/^unknown option "profle" \(known: dataFile, profile, /);
    expect((await refusal({ randomSeed: 1.5 })).message).toBe('randomSeed must be an integer or a non-empty string, got 1.5');
    expect((await refusal({ requestLogSize: -1 })).message).toBe('requestLogSize must be an integer of 0 or more, got -1');
    expect((await refusal({ limits: { maxWatchers: 2 } })).message).toMatch(/^limits: unknown limit "maxWatchers"/);
    expect((await refusal({ faults: [{ match: {}, error: { code: 418 } }] })).message).toMatch(/^faults: invalid fault rules: rules\.0\.error\.code/);
    expect((await refusal({ fixedClock: new Date('nope') })).message).toBe('fixedClock is an invalid Date');
  });

  it('accepts every documented form', async () => {
    const emu = await createEmulator({
      profile: 'documented', fixedClock: '2026-01-01T00:00:00Z', randomSeed: 'abc', simulateReady: '2s', requestLogSize: 0,
      faults: { seed: 1, rules: [{ match: { operation: 'get' }, error: { code: 503 } }] }, limits: { maxWatches: 5 }, tls: 'self-signed', apiKey: 'k',
      dataFile: undefined,
    });
    await emu.close();
  });
});
