import * as assert from 'node:assert/strict';
import { checkLink, flyLinkOrigins, FLY_WEB_ORIGIN } from '../../src/http/links';

describe('links from the API: only Fly, or the API itself, is opened', () => {
  const real = flyLinkOrigins('https://api.fly.io');
  const emulator = flyLinkOrigins('http://127.0.0.1:4123');

  it('the origins: Fly\'s web site and the API; http only for a loopback API', () => {
    assert.deepEqual(real, [FLY_WEB_ORIGIN, 'https://api.fly.io']);
    assert.deepEqual(emulator, [FLY_WEB_ORIGIN, 'http://127.0.0.1:4123']);
    assert.deepEqual(flyLinkOrigins('http://fly.example.com'), [FLY_WEB_ORIGIN], 'a plain-http API elsewhere adds nothing');
    assert.deepEqual(flyLinkOrigins('not a url'), [FLY_WEB_ORIGIN]);
  });

  it('opens the sign-in pages flyctl opens, and the emulator\'s own', () => {
    assert.deepEqual(checkLink('https://fly.io/app/auth/cli/abc123', real), { ok: true, url: 'https://fly.io/app/auth/cli/abc123' });
    assert.deepEqual(checkLink('https://api.fly.io/app/auth/cli/x?y=1', real), { ok: true, url: 'https://api.fly.io/app/auth/cli/x?y=1' });
    assert.deepEqual(checkLink('http://127.0.0.1:4123/app/auth/cli/s1', emulator), { ok: true, url: 'http://127.0.0.1:4123/app/auth/cli/s1' });
    assert.deepEqual(checkLink('HTTPS://FLY.IO/dashboard/acme/tokens', real), { ok: true, url: 'https://fly.io/dashboard/acme/tokens' }, 'what is opened is the parsed URL');
  });

  const refused: [string, string, string[], string][] = [
    ['a file on this machine', 'file:///etc/passwd', real, 'scheme'],
    ['a Windows share (leaks NTLM hashes)', 'smb://attacker.example/share', real, 'scheme'],
    ['a UNC path written as file:', 'file://attacker.example/share/x', real, 'scheme'],
    ['a vscode: link (installs or runs things in VS Code)', 'vscode:extension/evil.evil', real, 'scheme'],
    ['a vscode-insiders: link', 'vscode-insiders://vscode.git/clone?url=x', real, 'scheme'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic', real, 'scheme'],
    ['javascript:', 'javascript:alert(1)', real, 'scheme'],
    ['data:', 'data:text/html,<script>1</script>', real, 'scheme'],
    ['another https host', 'https://fly.io.attacker.example/app/auth/cli/x', real, 'origin'],
    ['a look-alike subdomain', 'https://evil.fly.io/app/auth', real, 'origin'],
    ['Fly\'s host on another port', 'https://fly.io:8443/app/auth', real, 'origin'],
    ['plain http to Fly', 'http://fly.io/app/auth/cli/x', real, 'scheme'],
    ['plain http to a loopback that is not the API', 'http://127.0.0.1:9999/app/auth/cli/x', emulator, 'origin'],
    ['plain http to the emulator while the API is the real one', 'http://127.0.0.1:4123/x', real, 'origin'],
    ['a user name (https://fly.io@attacker)', 'https://fly.io@attacker.example/x', real, 'credentials'],
    ['credentials on an allowed host', 'https://user:pass@fly.io/x', real, 'credentials'],
    ['a relative link', '/app/auth/cli/x', real, 'notUrl'],
    ['an empty answer', '', real, 'notUrl'],
  ];
  for (const [what, link, origins, problem] of refused) {
    it(`refuses ${what}`, () => {
      assert.deepEqual(checkLink(link, origins), { ok: false, problem });
    });
  }

  it('nothing is allowed where no origin is', () => {
    assert.deepEqual(checkLink('https://github.com/o/r/settings/secrets/actions', []), { ok: false, problem: 'origin' });
    assert.equal(checkLink('https://github.com/o/r/settings/secrets/actions', ['https://github.com']).ok, true);
  });
});
