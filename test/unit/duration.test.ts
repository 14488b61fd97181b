import * as assert from 'node:assert/strict';
import { ACCEPTED_DURATIONS, MAX_DURATION_NS, formatGoDuration, parseExpiry, parseGoDuration } from '../../src/fly/duration';

const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;

describe('parseExpiry (what people type → Go canonical for Fly)', () => {
  const accepted: [string, string][] = [
    ['90d', '2160h0m0s'],
    ['2w', '336h0m0s'],
    ['1y', '8760h0m0s'],
    ['720h', '720h0m0s'],
    ['1h30m', '1h30m0s'],
    ['1y2d', '8808h0m0s'],
    ['2 weeks', '336h0m0s'],
    ['1.5h', '1h30m0s'],
    [' 30 days ', '720h0m0s'],
    ['90m', '1h30m0s'],
    ['30s', '30s'],
    ['1s', '1s'],
    ['1D', '24h0m0s'],
    ['292y', '2557920h0m0s'],
  ];
  for (const [input, go] of accepted) {
    it(`accepts ${JSON.stringify(input)} as ${go}`, () => {
      const r = parseExpiry(input);
      assert.ok(r.ok, `expected ${JSON.stringify(input)} to be accepted`);
      assert.equal(r.go, go);
      assert.equal(parseGoDuration(r.go), r.ns, 'the canonical form reads back as the same duration in Go syntax');
    });
  }

  const rejected: [string, RegExp][] = [
    ['0', /must be more than zero/],
    ['0d', /must be more than zero/],
    ['-1h', /cannot be negative/],
    ['100000000h', /too long for Fly/],
    ['293y', /too long for Fly/],
    ['garbage', /"garbage" is not a duration/],
    ['10 parsecs', /is not a duration/],
    ['1h30', /is not a duration/],
    ['', /^Enter a token lifetime/],
    ['   ', /^Enter a token lifetime/],
    ['500ms', /at least one second/],
  ];
  for (const [input, message] of rejected) {
    it(`rejects ${JSON.stringify(input)} with a message saying why and what is accepted`, () => {
      const r = parseExpiry(input);
      assert.equal(r.ok, false);
      assert.ok(!r.ok);
      assert.match(r.message, message);
      assert.ok(r.message.endsWith(ACCEPTED_DURATIONS), r.message);
    });
  }
});

describe('parseGoDuration matches Go time.ParseDuration', () => {
  const cases: [string, bigint | null][] = [
    ['0', 0n],
    ['-0', 0n],
    ['+5s', 5n * S],
    ['1h30m', 90n * M],
    ['1.5h', 90n * M],
    ['2160h0m0s', 2160n * H],
    ['175200h0m0s', 175200n * H],
    ['300ms', 300_000_000n],
    ['-1.5h', -90n * M],
    ['1µs', 1_000n], // U+00B5 micro sign
    ['1μs', 1_000n], // U+03BC Greek mu
    ['1us', 1_000n],
    ['1ns', 1n],
    ['0.5m', 30n * S],
    ['1.s', S],
    ['1.0000000001s', S], // Go drops what is finer than a nanosecond
    ['3h2m1.5s', 3n * H + 2n * M + 1_500_000_000n],
    ['9223372036854775807ns', MAX_DURATION_NS],
    ['2562047h', 2562047n * H],
    // Go refuses these
    ['', null],
    ['1', null],
    ['5m30', null],
    ['h', null],
    ['.', null],
    ['1H', null],
    ['1d', null],
    ['1h 30m', null],
    [' 1h', null],
    ['1e3s', null],
    ['1h-1m', null],
    ['9223372036854775808ns', null],
    ['2562048h', null],
  ];
  for (const [input, ns] of cases) {
    it(`${JSON.stringify(input)} → ${ns === null ? 'error' : ns.toString()}`, () => {
      assert.equal(parseGoDuration(input), ns);
    });
  }

  describe('Go syntax at its edges: a leading dot, and exactly -2^63 ns', () => {
    const edges: [string, bigint][] = [
      ['.5s', 500_000_000n],
      ['-.5h', -30n * M],
      ['-9223372036854775808ns', -MAX_DURATION_NS - 1n],
    ];
    for (const [input, ns] of edges) {
      it(`${JSON.stringify(input)} → ${ns.toString()}`, () => assert.equal(parseGoDuration(input), ns));
    }
  });
});

describe('formatGoDuration matches Go Duration.String()', () => {
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1_000n, '1µs'],
    [1_100n, '1.1µs'],
    [1_000_000n, '1ms'],
    [2_200_000n, '2.2ms'],
    [S, '1s'],
    [1_500_000_000n, '1.5s'],
    [-1_500_000_000n, '-1.5s'],
    [61n * S, '1m1s'],
    [90n * M, '1h30m0s'],
    [2160n * H, '2160h0m0s'],
    [175200n * H, '175200h0m0s'],
    [H + 1n, '1h0m0.000000001s'],
    [MAX_DURATION_NS, '2562047h47m16.854775807s'],
    [-MAX_DURATION_NS - 1n, '-2562047h47m16.854775808s'],
  ];
  for (const [ns, text] of cases) {
    it(`${ns.toString()} → ${text}`, () => assert.equal(formatGoDuration(ns), text));
  }

  it('round-trips through parseGoDuration', () => {
    for (const [ns, text] of cases) {
      if (ns >= -MAX_DURATION_NS) assert.equal(parseGoDuration(text), ns, text);
    }
  });
});
