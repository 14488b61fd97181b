// The emulator's own Go duration grammar (test/emulator/goDuration.ts): Go's time.ParseDuration rules and texts,
// independent of the extension's parser, and the `expiry` of createLimitedAccessToken judged by it over HTTP.
import * as assert from 'assert';
import { startEmulator, type Emulator } from '../emulator';
import { goParseDuration } from '../emulator/goDuration';
import { CREATE_LIMITED_ACCESS_TOKEN } from '../emulator/flyctlDocuments';
import { postGraphql } from '../emulator/testRequests';

const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;

describe('emulator: Go duration grammar of its own', () => {
  const valid: [string, bigint][] = [
    ['0', 0n], ['-0', 0n], ['+0', 0n], ['5s', 5n * S], ['+5s', 5n * S], ['-5s', -5n * S], ['1478s', 1478n * S],
    ['5.0s', 5n * S], ['5.6s', 5_600_000_000n], ['5.s', 5n * S], ['.5s', S / 2n], ['1.004s', 1_004_000_000n],
    ['100.00100s', 100_001_000_000n], ['10ns', 10n], ['11us', 11_000n], ['12\u00b5s', 12_000n], ['12\u03bcs', 12_000n],
    ['13ms', 13_000_000n], ['15m', 15n * M], ['16h', 16n * H], ['3h30m', 3n * H + 30n * M], ['10.5s4m', 4n * M + 10n * S + S / 2n],
    ['-2m3.4s', -(2n * M + 3n * S + 400_000_000n)], ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4_000_000n + 5_000n + 6n],
    ['39h9m14.425s', 39n * H + 9n * M + 14_425_000_000n], ['0.3333333333333333333h', 20n * M],
    ['9223372036854775807ns', (1n << 63n) - 1n], ['9223372036854775.807us', (1n << 63n) - 1n],
    ['-9223372036854775808ns', -(1n << 63n)], ['0.830103483285477580700h', 49n * M + 48n * S + 372_539_827n],
    // what flyctl is seen to send (NOTES §7): its 20-year default as Go prints it, and its own org tokens' lifetime
    ['175200h0m0s', 175_200n * H], ['10m', 10n * M], ['999999h', 999_999n * H],
  ];
  for (const [text, ns] of valid) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(goParseDuration(text), { ok: true, ns }));
  }

  const invalid: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['90d', 'time: unknown unit "d" in duration "90d"'],
    ['1y', 'time: unknown unit "y" in duration "1y"'],
    ['1 h', 'time: unknown unit " h" in duration "1 h"'],
    ['1H', 'time: unknown unit "H" in duration "1H"'],
    [' 1h', 'time: invalid duration " 1h"'],
    ['1h ', 'time: unknown unit "h " in duration "1h "'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['2562048h', 'time: invalid duration "2562048h"'],
  ];
  for (const [text, error] of invalid) {
    it(`refuses ${JSON.stringify(text)}: ${error}`, () => assert.deepEqual(goParseDuration(text), { ok: false, error }));
  }

  describe('createLimitedAccessToken judges `expiry` by it (real HTTP)', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ port: 0 });
    });
    after(() => emu.close());

    const mint = (expiry: string) => {
      const acme = emu.world.org('acme')!;
      return postGraphql(emu.url, `Bearer ${emu.demoToken}`, CREATE_LIMITED_ACCESS_TOKEN, {
        name: `expiry ${expiry}`, organizationId: acme.id, profile: 'deploy_organization', profileParams: {}, expiry,
      }, 'CreateLimitedAccessToken');
    };

    it('takes what flyctl sends ("175200h0m0s", "10m", "" = 20 years) and Go texts like "1.5h"', async () => {
      for (const [expiry, hours] of [['175200h0m0s', 175_200], ['10m', 1 / 6], ['', 175_200], ['1.5h', 1.5]] as const) {
        const r = await mint(expiry);
        assert.equal(r.json.errors, undefined, expiry);
        const t = emu.world.tokens().find((x) => x.name === `expiry ${expiry}`)!;
        assert.equal(Math.round((t.expiresAt.getTime() - t.createdAt.getTime()) / 60_000), Math.round(hours * 60), expiry);
      }
    });

    it('refuses what Go does not read ("90d", "1 h", "3") and what is not positive ("0s", "-1h"), minting nothing', async () => {
      for (const [expiry, message] of [
        ['90d', 'Invalid expiry: time: unknown unit "d" in duration "90d"'],
        ['1 h', 'Invalid expiry: time: unknown unit " h" in duration "1 h"'],
        ['3', 'Invalid expiry: time: missing unit in duration "3"'],
        ['0s', 'Invalid expiry: "0s" must be a positive duration'],
        ['-1h', 'Invalid expiry: "-1h" must be a positive duration'],
      ]) {
        const r = await mint(expiry);
        assert.equal(r.json.errors?.[0]?.message, message, expiry);
        assert.ok(!emu.world.tokens().some((x) => x.name === `expiry ${expiry}`), `${expiry}: nothing minted`);
      }
    });
  });
});
