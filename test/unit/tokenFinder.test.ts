// The finder over text: every form a Fly.io credential is written in, found with its offsets and kind, and nothing
// that merely looks close. Tokens are the emulator's own (its world's deploy tokens and its users' auth tokens).
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { credentialOfText, findTokens, fingerprint, looksBinary, redacted } from '../../src/fly/tokenFinder';

describe('finding Fly.io tokens in text', () => {
  let emu: Emulator;
  let deploy: string; // `FlyV1 fm2_…,fm2_…`
  let login: string; // `fo1_…`

  before(async () => {
    emu = await startEmulator({ port: 0 });
    deploy = emu.world.tokens()[0].header;
    login = emu.demoToken;
    assert.match(deploy, /^FlyV1 fm2_[A-Za-z0-9+/=]+,fm2_/);
    assert.match(login, /^fo1_/);
  });
  after(() => emu.close());

  const texts = (found: { start: number; end: number }[], text: string) => found.map((f) => text.slice(f.start, f.end));

  it('finds a deploy token as flyctl prints it, in an .env line, a YAML value, JSON and a shell export', () => {
    const bare = deploy.slice('FlyV1 '.length);
    const cases: [string, string][] = [
      [`FLY_API_TOKEN=${deploy}\n`, deploy],
      [`FLY_API_TOKEN="${deploy}"`, deploy],
      [`env:\n  FLY_API_TOKEN: '${bare}'\n`, bare],
      [`{"token":"${deploy}"}`, deploy],
      [`export FLY_API_TOKEN=${bare}; fly deploy`, bare],
      [`Authorization: ${deploy}\r\n`, deploy],
    ];
    for (const [text, expected] of cases) {
      const found = findTokens(text);
      assert.deepEqual(texts(found, text), [expected], text.slice(0, 30));
      assert.equal(found[0].kind, 'macaroons');
      assert.equal(found[0].macaroons, 2);
      assert.equal(found[0].authTokens, 0);
    }
  });

  it('tells an auth token and a bundle (flyctl config.yml) from deploy tokens', () => {
    const bare = deploy.slice('FlyV1 '.length);
    const text = `access_token: ${login}\nstale: ${bare},${login}\nFLY_TOKEN=Bearer ${login}`;
    const found = findTokens(text);
    assert.deepEqual(
      found.map((f) => [f.kind, f.macaroons, f.authTokens]),
      [
        ['authToken', 0, 1],
        ['bundle', 2, 1],
        ['authToken', 0, 1],
      ],
    );
    assert.deepEqual(texts(found, text), [login, `${bare},${login}`, `Bearer ${login}`]);
  });

  it('finds several tokens on one line, older fm1r_/fm1a_ parts, and honours an offset', () => {
    const old = `fm1r_${'A'.repeat(60)}==,fm1a_${'B'.repeat(64)}`;
    const text = `a=${old} b=${login}`;
    const found = findTokens(text, 100);
    assert.equal(found.length, 2);
    assert.equal(found[0].start, 102);
    assert.equal(text.slice(found[0].start - 100, found[0].end - 100), old);
    assert.equal(found[1].kind, 'authToken');
  });

  it('ignores what only resembles a token: short examples, prefixes inside words, text without prefixes', () => {
    const text = [
      'Set FLY_API_TOKEN to fm2_… (see the docs).',
      'fm2_example and fo1_short',
      `xfm2_${'A'.repeat(80)}`,
      `my_fo1_${'A'.repeat(40)}`,
      `${'Z'.repeat(5000)}`,
    ].join('\n');
    assert.deepEqual(findTokens(text), []);
  });

  it('a wrapped token (a line break inside) is still flagged by its first line', () => {
    const bare = deploy.slice('FlyV1 '.length);
    const text = `${bare.slice(0, 120)}\n${bare.slice(120)}`;
    assert.ok(findTokens(text).length >= 1, 'the first line alone is a macaroon-shaped credential');
  });

  it('the redacted form and the fingerprint say nothing usable of the token', () => {
    const r = redacted(deploy);
    assert.match(r, /^fm2_…[A-Za-z0-9+/=]{4} \(\+1\)$/);
    assert.ok(r.length < 20);
    const fp = fingerprint(deploy);
    assert.match(fp, /^[0-9a-f]{32}$/);
    assert.equal(fingerprint(deploy.replace(',', ', ')), fp, 'same credential, other spacing, same fingerprint');
    assert.equal(fingerprint(deploy.slice('FlyV1 '.length)), fp, 'with or without its scheme');
    assert.notEqual(fingerprint(login), fp);
    for (const part of credentialOfText(deploy).split(',')) assert.ok(!fp.includes(part.slice(4, 12)));
  });

  it('binary files are told by a NUL byte in their first 8 KB', () => {
    assert.equal(looksBinary(new Uint8Array(Buffer.from('FLY_API_TOKEN=x\n'))), false);
    assert.equal(looksBinary(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x00, 0x01)), true);
  });

  it('is fast: a 1 MB file with tokens sprinkled is read in well under 100 ms', () => {
    const filler = 'const x = "some ordinary line of code with fm2 and fo1 words";\n';
    const text = `${filler.repeat(8000)}T=${deploy}\n${filler.repeat(8000)}T=${login}\n`;
    const start = performance.now();
    const found = findTokens(text);
    const ms = performance.now() - start;
    assert.equal(found.length, 2);
    assert.ok(ms < 100, `${ms.toFixed(1)} ms`);
  });
});
