// Browser sign-in when the browser is not on the extension host's machine (remote windows): the port Fly redirects
// to is the one forwarded to the loopback listener, and without a usable forward the flow goes on with a pasted code.
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { startBrowserLogin, type BrowserLogin } from '../../src/fly/login';

function sessionIdOf(login: BrowserLogin): string {
  const id = /\/app\/auth\/cli\/([^/?#]+)$/.exec(login.authUrl)?.[1];
  assert.ok(id, login.authUrl);
  return id;
}

describe('browser sign-in through a forwarded port', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterEach(() => emu.close());

  it('gives Fly the forwarded port, not the listener’s own', async () => {
    const asked: number[] = [];
    const login = await startBrowserLogin({
      baseUrl: emu.url,
      sessionName: 'test',
      forwardPort: async (local) => {
        asked.push(local);
        return 40123;
      },
    });
    try {
      assert.equal(asked.length, 1);
      assert.equal(login.redirectPort, 40123);
      const { redirectUrl } = emu.approveCliSession(sessionIdOf(login));
      assert.ok(redirectUrl?.startsWith('http://127.0.0.1:40123/callback?'), String(redirectUrl));
    } finally {
      login.cancel();
      await login.token.catch(() => undefined);
    }
  });

  it('without a usable forward: no redirect port, nothing listening, and a pasted code completes it', async () => {
    const login = await startBrowserLogin({ baseUrl: emu.url, sessionName: 'test', forwardPort: async () => null });
    assert.equal(login.redirectPort, null);
    assert.equal(login.pkce, true);
    const { code, redirectUrl } = emu.approveCliSession(sessionIdOf(login));
    assert.equal(redirectUrl, null, 'Fly was given no port to redirect to');
    await login.submitCode(code);
    assert.match(await login.token, /\S{10,}/);
  });
});
