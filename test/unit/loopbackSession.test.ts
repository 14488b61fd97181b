import * as assert from 'node:assert/strict';
import { sessionBelongsHere } from '../../src/http/loopback';

describe('a loopback session belongs to the machine it was made on', () => {
  it('a loopback API is used only on the machine the session was made on', () => {
    for (const api of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000', 'https://127.0.0.2']) {
      assert.equal(sessionBelongsHere(api, 'local', 'local'), true, api);
      assert.equal(sessionBelongsHere(api, 'local', 'remote:ssh-remote+box'), false, `${api}: local session in a remote window`);
      assert.equal(sessionBelongsHere(api, 'remote:dev-container+abc', 'local'), false, `${api}: remote session in a local window`);
      assert.equal(sessionBelongsHere(api, 'remote:ssh-remote+a', 'remote:ssh-remote+b'), false, `${api}: another remote`);
      assert.equal(sessionBelongsHere(api, undefined, 'local'), false, `${api}: a session that does not say where it was made`);
    }
  });

  it('any other API is the same server everywhere', () => {
    assert.equal(sessionBelongsHere('https://api.fly.io', 'local', 'remote:ssh-remote+box'), true);
    assert.equal(sessionBelongsHere('https://api.fly.io', undefined, 'local'), true, 'sessions from before are kept');
  });

  it('an unreadable API belongs nowhere', () => {
    assert.equal(sessionBelongsHere('not a url', 'local', 'local'), false);
  });
});
