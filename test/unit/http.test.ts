import { strict as assert } from 'node:assert';
import { isRecord } from '../../src/http/json';
import { isLoopbackHost, isSafeApiUrl } from '../../src/http/loopback';
import { userAgent } from '../../src/http/userAgent';

describe('http helpers shared by the Fly and GitHub clients', () => {
  it('one loopback rule: 127.0.0.0/8, localhost and [::1] only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '[::2]', '0.0.0.0']) assert.ok(!isLoopbackHost(host), host);
  });

  it('a credential travels in clear only to a loopback address', () => {
    assert.ok(isSafeApiUrl(new URL('https://api.fly.io')));
    assert.ok(isSafeApiUrl(new URL('http://127.0.0.1:4280')));
    assert.ok(isSafeApiUrl(new URL('http://[::1]:80')));
    assert.ok(!isSafeApiUrl(new URL('http://api.fly.io')));
    assert.ok(!isSafeApiUrl(new URL('ftp://127.0.0.1')));
  });

  it('one user agent, with versions when known', () => {
    assert.equal(userAgent('0.1.0', '1.100.3'), 'fly-deploy-tokens-vscode/0.1.0 (vscode/1.100.3)');
    assert.equal(userAgent('0.1.0'), 'fly-deploy-tokens-vscode/0.1.0');
    assert.equal(userAgent(), 'fly-deploy-tokens-vscode');
  });

  it('isRecord accepts plain objects only', () => {
    assert.ok(isRecord({}));
    for (const v of [null, undefined, [], 'x', 1]) assert.ok(!isRecord(v), String(v));
  });
});
