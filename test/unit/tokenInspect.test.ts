// The offline inspector: tokens shaped as flyctl ad0172f internal/command/tokens/create.go makes each kind (a
// permission macaroon with a third-party caveat to the auth service, plus its discharge), minted and attenuated
// with the macaroon codec, then read back from their text alone.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startEmulator } from '../emulator';
import {
  Action,
  Location,
  addThirdParty,
  attenuate,
  formatMacaroonPart,
  mintDischarge,
  mintMacaroon,
  type Caveat,
  type Macaroon,
} from '../../src/fly/macaroon';
import { actionNames, inspectToken, validityAt } from '../../src/fly/tokenInspect';

const KEY = new Uint8Array(randomBytes(32));
const AUTH_KEY = new Uint8Array(randomBytes(32));
const ORG = 4321;
const APP = 98765;
const NOW = 1_800_000_000;
const WINDOW: Caveat = { type: 'ValidityWindow', notBefore: NOW - 60, notAfter: NOW + 86_400 };

/** A permission token as Fly's API answers createLimitedAccessToken: permission macaroon + auth discharge. */
function flyToken(caveats: Caveat[], dischargeCaveats: Caveat[] = [WINDOW]): { permission: Macaroon; discharge: Macaroon } {
  const base = mintMacaroon(new Uint8Array(randomBytes(12)), Location.Permission, KEY, caveats);
  const permission = addThirdParty(base, AUTH_KEY, Location.Authentication);
  const tp = permission.caveats.find((c) => c.type === 'ThirdParty');
  assert.ok(tp && tp.type === 'ThirdParty' && tp.ticket);
  const discharge = mintDischarge(tp.ticket, AUTH_KEY, Location.Authentication, dischargeCaveats);
  assert.ok(discharge);
  return { permission, discharge };
}

const header = (...ms: Macaroon[]) => `FlyV1 ${ms.map(formatMacaroonPart).join(',')}`;
const orgCaveat = (mask: number = Action.All): Caveat => ({ type: 'Organization', id: ORG, mask });

describe('inspecting a token offline', () => {
  it('an app deploy token: one app, its organization, the window, the auth caveat discharged', () => {
    const { permission, discharge } = flyToken([orgCaveat(), { type: 'Apps', apps: new Map([[APP, Action.All]]) }, WINDOW]);
    const i = inspectToken(header(permission, discharge));
    assert.equal(i.kind, 'deploy');
    assert.deepEqual(i.apps, [{ id: APP, actions: Action.All }]);
    assert.deepEqual(i.organization, { id: ORG, actions: Action.All });
    assert.equal(i.permissions, 1);
    assert.equal(i.discharges, 1);
    assert.equal(i.notAfter, NOW + 86_400);
    assert.equal(i.notBefore, NOW - 60);
    assert.deepEqual(i.thirdParty, [{ location: Location.Authentication, discharged: true }]);
    assert.equal(validityAt(i, NOW), null);
    assert.equal(validityAt(i, NOW + 86_400), 'expired');
    assert.equal(validityAt(i, NOW - 3600), 'notYet');
  });

  it('without its discharge, the third-party caveat is reported as unreadable here', () => {
    const { permission } = flyToken([orgCaveat(), { type: 'Apps', apps: new Map([[APP, Action.All]]) }]);
    const i = inspectToken(formatMacaroonPart(permission));
    assert.deepEqual(i.thirdParty, [{ location: Location.Authentication, discharged: false }]);
    assert.equal(i.notAfter, null);
  });

  it('an organization deploy token and a read-only one', () => {
    const org = flyToken([orgCaveat(), WINDOW]);
    assert.equal(inspectToken(header(org.permission, org.discharge)).kind, 'orgDeploy');
    const readOnly = attenuate(org.permission, [orgCaveat(Action.Read)]);
    const i = inspectToken(header(readOnly, org.discharge));
    assert.equal(i.kind, 'orgReadOnly');
    assert.deepEqual(actionNames(i.organization!.actions), ['read']);
  });

  it('an SSH token (read-only + issueCertificate/addWireGuardPeer) and a machine-exec token', () => {
    const { permission, discharge } = flyToken([orgCaveat(), { type: 'Apps', apps: new Map([[APP, Action.All]]) }]);
    const read = attenuate(permission, [{ type: 'Action', action: Action.Read }]);
    const mutation = attenuate(permission, [{ type: 'Mutations', mutations: ['issueCertificate', 'addWireGuardPeer'] }]);
    const ssh = inspectToken(header(read, mutation, discharge));
    assert.equal(ssh.kind, 'ssh');
    assert.deepEqual(ssh.mutations, ['issueCertificate', 'addWireGuardPeer']);
    assert.equal(ssh.permissions, 2);

    const exec = attenuate(permission, [
      { type: 'IfPresent', ifs: [{ type: 'Commands', commands: [{ args: ['ls', '-la'], exact: true }] }], elseAction: Action.Read },
    ]);
    const i = inspectToken(header(exec, discharge));
    assert.equal(i.kind, 'machineExec');
    assert.deepEqual(i.commands, [{ args: ['ls', '-la'], exact: true }]);
  });

  it('a WireGuard token (IfPresent: no app, the wireguard feature)', () => {
    const { permission, discharge } = flyToken([orgCaveat()]);
    const wg = attenuate(permission, [
      {
        type: 'IfPresent',
        ifs: [
          { type: 'Apps', apps: new Map() },
          { type: 'FeatureSet', features: new Map([['wireguard', Action.All]]) },
        ],
        elseAction: Action.Read,
      },
    ]);
    assert.equal(inspectToken(header(wg, discharge)).kind, 'wireGuard');
  });

  it('an auth token, a deploy token and a bundle, all minted by the emulator in Fly’s macaroon format', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const login = inspectToken(emu.demoToken);
      assert.equal(login.kind, 'authToken');
      assert.equal(login.authTokens, 1);
      const deploy = emu.world.tokens()[0].header;
      const random = inspectToken(deploy);
      // The emulator mints real macaroons (permission + discharge): read as a deploy token, nothing unreadable.
      assert.equal(random.kind, 'deploy');
      assert.equal(random.unreadable, 0);
      const bundle = inspectToken(`${deploy.slice('FlyV1 '.length)},${emu.demoToken}`);
      assert.equal(bundle.kind, 'bundle');
    } finally {
      await emu.close();
    }
  });

  it('unknown caveat types are counted: the token may be narrower than what is shown', () => {
    const { permission, discharge } = flyToken([orgCaveat(), { type: 'Unknown', code: 99n, body: [1] }]);
    assert.equal(inspectToken(header(permission, discharge)).unknownCaveats, 1);
  });
});
