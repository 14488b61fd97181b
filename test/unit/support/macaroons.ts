// Real macaroons for tests that need a credential the client will send (it drops what does not decode or has
// expired, as fly-go does). Made at run time with fresh keys, so no token-like literal sits in the repository.
import { randomBytes } from 'node:crypto';
import {
  Action,
  Location,
  addThirdParty,
  caveatsOfType,
  formatMacaroonPart,
  mintDischarge,
  mintMacaroon,
  type Caveat,
} from '../../../src/fly/macaroon';

export interface TestToken {
  permission: string;
  discharge: string;
  /** `FlyV1 <permission>,<discharge>` */
  header: string;
}

/** A permission macaroon with an authentication discharge, valid from `notBefore` to `notAfter` (seconds). */
export function testToken(window: { notBefore?: number; notAfter?: number } = {}, extra: Caveat[] = []): TestToken {
  const now = Math.floor(Date.now() / 1000);
  const validity: Caveat = { type: 'ValidityWindow', notBefore: window.notBefore ?? now - 60, notAfter: window.notAfter ?? now + 3600 };
  const tpKey = new Uint8Array(randomBytes(32));
  const perm = addThirdParty(
    mintMacaroon(new Uint8Array(randomBytes(16)), Location.Permission, new Uint8Array(randomBytes(32)), [
      { type: 'Organization', id: 1, mask: Action.All },
      validity,
      ...extra,
    ]),
    tpKey,
    Location.Authentication,
  );
  const ticket = caveatsOfType(perm.caveats, 'ThirdParty')[0]?.ticket;
  const discharge = ticket ? mintDischarge(ticket, tpKey, Location.Authentication, [validity]) : null;
  if (!discharge) throw new Error('could not discharge the test ticket');
  const permission = formatMacaroonPart(perm);
  const dischargePart = formatMacaroonPart(discharge);
  return { permission, discharge: dischargePart, header: `FlyV1 ${permission},${dischargePart}` };
}
