import * as assert from 'node:assert/strict';
import { isFlyTomlName, parseFlyToml } from '../../src/fly/flyToml';

describe('parseFlyToml', () => {
  it('reads the top-level app name', () => {
    assert.deepEqual(parseFlyToml('app = "demo-app"\nprimary_region = "ams"\n\n[build]\n  image = "x"\n'), { ok: true, app: 'demo-app' });
  });

  it('ignores an `app` key inside a table', () => {
    assert.deepEqual(parseFlyToml('[env]\napp = "not-this"\n'), { ok: false, message: 'no app name (add `app = "name"` to this file)' });
  });

  it('strips a byte-order mark', () => {
    assert.deepEqual(parseFlyToml('\uFEFFapp = "bom-app"\n'), { ok: true, app: 'bom-app' });
  });

  it('handles CRLF line endings', () => {
    assert.deepEqual(parseFlyToml('# comment\r\napp = \'crlf-app\'\r\n[http_service]\r\n  internal_port = 8080\r\n'), {
      ok: true,
      app: 'crlf-app',
    });
  });

  it('reports a syntax error with line and column and a short reason', () => {
    const r = parseFlyToml('app = "x"\n[[services]\nport = 1\n');
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.line, 2);
    assert.equal(r.column, 12);
    assert.equal(r.message, 'line 2, column 12: expected end of table array declaration');
  });

  it('counts lines the same in a CRLF file with a BOM', () => {
    const r = parseFlyToml('\uFEFF# c\r\napp = \r\n');
    assert.ok(!r.ok);
    assert.equal(r.line, 2);
    assert.match(r.message, /^line 2, column \d+: invalid value$/);
  });

  it('keeps the message to one line (no code excerpt)', () => {
    const r = parseFlyToml('app = "unterminated');
    assert.ok(!r.ok);
    assert.equal(r.message, 'line 1, column 7: unfinished string');
    const r2 = parseFlyToml('a = 1\r\na = 2\r\n');
    assert.ok(!r2.ok);
    assert.equal(r2.message, 'line 2, column 1: trying to redefine an already defined table or value');
  });

  it('missing app → tells the user what to add', () => {
    assert.deepEqual(parseFlyToml('primary_region = "ams"\n'), { ok: false, message: 'no app name (add `app = "name"` to this file)' });
    assert.deepEqual(parseFlyToml(''), { ok: false, message: 'no app name (add `app = "name"` to this file)' });
  });

  it('empty app string counts as no app name', () => {
    assert.deepEqual(parseFlyToml('app = ""\n'), { ok: false, message: 'no app name (add `app = "name"` to this file)' });
    assert.deepEqual(parseFlyToml('app = "   "\n'), { ok: false, message: 'no app name (add `app = "name"` to this file)' });
  });

  it('non-string app → says it must be a string', () => {
    for (const text of ['app = 42\n', 'app = true\n', 'app = ["a"]\n', '[app]\nname = "x"\n']) {
      assert.deepEqual(parseFlyToml(text), { ok: false, message: '`app` must be a string' }, text);
    }
  });
});

describe('isFlyTomlName', () => {
  const yes = ['fly.toml', 'fly.staging.toml', 'fly.a.b.toml', '/home/me/proj/fly.toml', 'C:\\proj\\fly.production.toml'];
  const no = ['fly.tom', 'Fly.toml', 'fly..toml', 'flytoml', 'xfly.toml', 'fly.toml.bak', 'fly.json', 'fly.yaml', 'app/fly.toml/x', 'pyproject.toml'];
  for (const name of yes) it(`matches ${name}`, () => assert.equal(isFlyTomlName(name), true));
  for (const name of no) it(`does not match ${name}`, () => assert.equal(isFlyTomlName(name), false));
});
