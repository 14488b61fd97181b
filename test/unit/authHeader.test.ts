import * as assert from 'node:assert/strict';
import { authorizationHeader, isMacaroonToken, tokenParts } from '../../src/fly/authHeader';

describe('Authorization header (flyctl rules)', () => {
  const table: [string, string, string][] = [
    ['bare user token', 'fo1_abc', 'Bearer fo1_abc'],
    ['old hex token', 'deadbeef0123', 'Bearer deadbeef0123'],
    ['Bearer scheme kept as Bearer', 'Bearer fo1_abc', 'Bearer fo1_abc'],
    ['bare macaroon', 'fm2_abc', 'FlyV1 fm2_abc'],
    ['deploy token as printed by flyctl', 'FlyV1 fm2_aaa,fm2_bbb', 'FlyV1 fm2_aaa,fm2_bbb'],
    ['spaces around commas are trimmed', 'FlyV1 fm2_aaa , fm2_bbb ', 'FlyV1 fm2_aaa,fm2_bbb'],
    ['scheme in any case', 'flyv1 fm2_aaa', 'FlyV1 fm2_aaa'],
    ['BEARER in capitals', 'BEARER fo1_x', 'Bearer fo1_x'],
    ['schemes stripped repeatedly', 'Bearer FlyV1  bearer fm1r_x', 'FlyV1 fm1r_x'],
    ['fm1a is a macaroon', 'fm1a_x', 'FlyV1 fm1a_x'],
    ['macaroons first, then user tokens', 'fo1_user,fm2_mac,fm1r_old', 'FlyV1 fm2_mac,fm1r_old,fo1_user'],
    ['several user tokens', 'fo1_a, fo1_b', 'Bearer fo1_a,fo1_b'],
    ['surrounding whitespace and newline', '  FlyV1 fm2_a\n', 'FlyV1 fm2_a'],
    ['empty parts are dropped', 'fm2_a,,fm2_b,', 'FlyV1 fm2_a,fm2_b'],
    ['prefix must be the whole text before the first underscore', 'fm2x_a', 'Bearer fm2x_a'],
    ['macaroon prefixes are case-sensitive', 'FM2_a', 'Bearer FM2_a'],
    ['a scheme word glued to the token is not a scheme', 'Bearerfo1_a', 'Bearer Bearerfo1_a'],
    ['no token at all', '', 'Bearer '],
  ];
  for (const [what, token, header] of table) {
    it(`${what}: ${JSON.stringify(token)} → ${JSON.stringify(header)}`, () => {
      assert.equal(authorizationHeader(token), header);
    });
  }

  it('isMacaroonToken tells deploy/org tokens from user tokens', () => {
    assert.equal(isMacaroonToken('FlyV1 fm2_aaa,fm2_bbb'), true);
    assert.equal(isMacaroonToken('fm1r_x'), true);
    assert.equal(isMacaroonToken('fm1a_x'), true);
    assert.equal(isMacaroonToken('fo1_user,fm2_x'), true);
    assert.equal(isMacaroonToken('fo1_user'), false);
    assert.equal(isMacaroonToken('Bearer deadbeef'), false);
    assert.equal(isMacaroonToken('fm3_x'), false);
    assert.equal(isMacaroonToken(''), false);
  });

  it('tokenParts splits after stripping schemes', () => {
    assert.deepEqual(tokenParts('FlyV1 fm2_a, fm2_b'), ['fm2_a', 'fm2_b']);
    assert.deepEqual(tokenParts('  '), []);
  });
});
