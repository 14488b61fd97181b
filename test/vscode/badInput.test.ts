import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { eventually, find, setUp, signIn, snapshot, type Harness, type Row } from './support/harness';

/** Bad files are written into the fixture's `api` folder at run time and removed afterwards. */
describe('bad input: files and values a user can throw at it', () => {
  let h: Harness;
  const dir = path.join(path.dirname(process.env.FLY_TOKENS_TEST_WORKSPACE!), 'api', 'bad-input');
  const write = (name: string, content: string | Buffer) => fs.writeFileSync(path.join(dir, name), content);
  const rowsFor = async (): Promise<Row[]> => {
    await h.api.model.refresh({ rescan: true });
    return snapshot(h.api);
  };

  before(async () => {
    h = await setUp();
    await signIn(h);
    fs.mkdirSync(dir, { recursive: true });
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await h.api.model.refresh({ rescan: true });
  });
  afterEach(() => h.prompter.assertDone());

  it('shows each unreadable fly.toml as a row with its reason, and reads BOM + CRLF files', async () => {
    write('fly.huge.toml', `app = "huge"\n# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    write('fly.binary.toml', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42, 0x89, 0x50]));
    write('fly.number.toml', 'app = 42\n');
    write('fly.noapp.toml', 'primary_region = "ams"\n');
    write('fly.bom.toml', '\uFEFFapp = "acme-api"\r\nprimary_region = "ams"\r\n');
    write('fly.syntax.toml', 'app = "x"\n[build\nimage = "y"\n');
    const rows = await rowsFor();
    // the short reason on the row (a narrow sidebar cuts the end of a description), the whole one in the tooltip
    const reason = (file: string) => find(rows, `api/bad-input/${file}`).description;
    const detail = (file: string) => find(rows, `api/bad-input/${file}`).tooltip ?? '';
    assert.strictEqual(reason('fly.huge.toml'), 'too large (5.0 MB)');
    assert.match(detail('fly.huge.toml'), /file is 5\.0 MB, larger than a fly\.toml can be \(1 MB\); not read/);
    assert.strictEqual(reason('fly.binary.toml'), 'not a text file');
    assert.strictEqual(reason('fly.number.toml'), '`app` must be a string');
    assert.strictEqual(reason('fly.noapp.toml'), 'no app name');
    assert.match(detail('fly.noapp.toml'), /no app name \(add `app = "name"` to this file\)/);
    assert.strictEqual(reason('fly.syntax.toml'), 'TOML error, line 2');
    assert.match(detail('fly.syntax.toml'), /line 2, column \d+: /);
    const acmeApi = find(rows, 'acme-api');
    assert.match(acmeApi.description!, /^api\/bad-input\/fly\.bom\.toml \+1 · acme$|^api\/fly\.toml \+1 · acme$/, 'the BOM file names acme-api too');
    assert.ok(rows.some((r) => r.label === 'demo-app'), 'the good apps are all still there');
  });

  it('follows file changes: a fixed file becomes an app row without a manual refresh', async () => {
    write('fly.number.toml', 'app = "demo-app"\n');
    write('fly.newapp.toml', 'app = "ghost-app"\n');
    const rows = await eventually(async () => {
      const r = await snapshot(h.api);
      assert.strictEqual(r.find((x) => x.label === 'ghost-app')?.contextValue, 'app;error', 'new file picked up by the watcher and loaded');
      return r;
    });
    assert.ok(!rows.some((r) => r.label === 'api/bad-input/fly.number.toml'));
    const ghost = find(rows, 'ghost-app');
    assert.match(ghost.description ?? '', /^not on Fly\.io · /, 'the reason first');
    assert.strictEqual(ghost.children![0].label, 'not on Fly.io');
    assert.match(ghost.children![0].tooltip ?? '', /no app named "ghost-app"/);
  });

  it('validates token names: empty and over-long are refused with a reason; emoji are fine', async () => {
    h.prompter.validateWith.set('create.name', ['', '   ', 'x'.repeat(101), 'tab\there', '🚀 deploy from CI']);
    h.prompter.answer('create.name', '🚀 deploy from CI').answer('create.expiry', '7 days');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const v = h.prompter.asked.find((a) => a.id === 'create.name')!.validation!;
    assert.match(v['']!, /Give the token a name/);
    assert.match(v['   ']!, /Give the token a name/);
    assert.match(v['x'.repeat(101)]!, /under 100 characters \(101 now\)/);
    assert.match(v['tab\there']!, /cannot contain control, invisible or text-direction characters/);
    assert.strictEqual(v['🚀 deploy from CI'], undefined);
    assert.ok(h.emu.world.tokens().some((t) => t.name === '🚀 deploy from CI'));
    const demo = find(await snapshot(h.api), 'demo-app').children!;
    assert.ok(demo.some((r) => r.label === '🚀 deploy from CI'));
  });

  it('accepts 1y2d as a lifetime and sends Go canonical form', async () => {
    h.prompter.answer('create.name', 'odd lifetime').answer('create.expiry', 'Custom…').answer('create.customExpiry', '1y2d');
    h.emu.clearRequests();
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const [req] = h.emu.graphqlRequests();
    assert.match(JSON.stringify(req.variables), /"expiry":"8808h0m0s"/);
  });
});
