import * as assert from 'node:assert/strict';
import { escapeHtml, nonce } from '../../src/ui/html';

describe('text into a webview', () => {
  it('escapes everything that could end a text node or an attribute', () => {
    assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&\``), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;');
    assert.equal(escapeHtml('plain name · ünïcode'), 'plain name · ünïcode');
  });

  it('nonces are random and safe inside an attribute', () => {
    const a = nonce();
    assert.notEqual(a, nonce());
    assert.match(a, /^[A-Za-z0-9+/]{24}$/);
  });
});
