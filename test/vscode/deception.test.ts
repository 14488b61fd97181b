// Issue 11 item 9: token names come from anyone in the organization. Rows, pickers, confirmations and rotated names
// show hidden characters (bidi overrides, line separators, zero-width, controls) escaped, names we create refuse
// them, and the workspace-settable settings are bounded.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { eventually, find, setUp, signIn, snapshot, type Harness } from './support/harness';

// "ci" + RIGHT-TO-LEFT OVERRIDE + "dorp" shows as "ciprod"; a LINE SEPARATOR fakes a second line; a ZWSP hides.
const TRICK = 'ci\u202Edorp\u2028revoked\u200B';
const SHOWN = 'ci\\u{202E}dorp\\u{2028}revoked\\u{200B}';
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u2028\u2029\u200B-\u200F]/;

describe('security: text that cannot deceive', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    h.emu.world.addToken({ app: 'demo-app', name: TRICK });
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  async function trickRow() {
    const app = find(await snapshot(h.api), 'demo-app');
    return find(app.children ?? [], SHOWN);
  }

  it('a tree row shows the name escaped, in its label and tooltip', async () => {
    const row = await trickRow();
    assert.ok(!HIDDEN.test(JSON.stringify(row)), JSON.stringify(row));
    assert.ok(row.tooltip?.includes('ci\\\\u\\{202E\\}dorp') || row.tooltip?.includes(SHOWN.replace(/[\\{}]/g, '\\$&')), row.tooltip);
  });

  it('the revoke confirmation and picker name it escaped', async () => {
    const app = h.api.tree.getChildren().find((n) => n.kind === 'app' && n.appName === 'demo-app');
    const node = h.api.tree.getChildren(app).find((n) => (n as { record?: { token: { name: string } } }).record?.token.name === TRICK);
    assert.ok(node, 'the row is there');
    h.prompter.answer('revoke.confirm', false);
    await vscode.commands.executeCommand('flyTokens.revokeToken', node);
    const confirm = h.prompter.asked.find((a) => a.id === 'revoke.confirm')!;
    assert.strictEqual(confirm.message, `Revoke the deploy token "${SHOWN}"?`);
    assert.ok(confirm.detail!.includes(`• ${SHOWN} — `), confirm.detail);
    assert.ok(!HIDDEN.test(confirm.message + confirm.detail!));

    h.prompter.answer('revoke.pick', undefined);
    await vscode.commands.executeCommand('flyTokens.revokeToken');
    const pick = h.prompter.asked.find((a) => a.id === 'revoke.pick')!;
    assert.ok(pick.labels!.includes(SHOWN), JSON.stringify(pick.labels));
    assert.ok(!pick.labels!.some((l) => HIDDEN.test(l)));
  });

  it('rotating it: the picker and questions show it escaped, and the new name has no hidden characters', async () => {
    h.prompter
      .answer('rotate.token', SHOWN)
      .answer('rotate.expiry', (labels: string[]) => labels[0])
      .answer('rotate.github', 'Copy to clipboard instead')
      .answer('rotate.revokeOld', false);
    await vscode.commands.executeCommand('flyTokens.rotateToken');
    await h.prompter.waitForNotification(/was copied to the clipboard/);
    const created = h.emu.world.tokens().filter((t) => t.app === 'demo-app').at(-1)!;
    assert.match(created.name, /^cidorprevoked-\d{4}-\d{2}-\d{2}$/);
    const said = JSON.stringify([h.prompter.asked, h.prompter.notifications]);
    assert.ok(!HIDDEN.test(said), said);
    assert.ok(said.includes(SHOWN.replace(/\\/g, '\\\\')), 'the old name is shown escaped');
  });

  it('a name we create refuses hidden characters, saying what it saw', async () => {
    h.prompter.validateWith.set('create.name', ['ok-name', 'prod\u202Etxt', 'a\nb', 'zero\u200Bwidth']);
    h.prompter.answer('create.name', undefined);
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const v = h.prompter.asked.find((a) => a.id === 'create.name')!.validation!;
    assert.strictEqual(v['ok-name'], undefined);
    assert.match(v['prod\u202Etxt']!, /cannot contain control, invisible or text-direction characters \(shown here as prod\\u\{202E\}txt\)/);
    assert.ok(v['a\nb'] && v['zero\u200Bwidth']);
  });
});

describe('security: workspace settings are bounded', () => {
  let h: Harness;
  const workspaceFile = process.env.FLY_TOKENS_TEST_WORKSPACE!;
  let before: string;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    before = fs.readFileSync(workspaceFile, 'utf8');
  });
  afterEach(async () => {
    fs.writeFileSync(workspaceFile, before);
    await eventually(() => assert.strictEqual(vscode.workspace.getConfiguration('flyTokens').inspect('expiryWarningDays')?.workspaceValue, undefined));
    h.prompter.assertDone();
  });

  it('a huge expiryWarningDays, an overlong defaultExpiry and a tricky defaultTokenName from the workspace fall back to safe values', async () => {
    const ws = JSON.parse(before);
    ws.settings = {
      ...ws.settings,
      'flyTokens.expiryWarningDays': 1e9,
      'flyTokens.defaultExpiry': `9${'9'.repeat(40)}h`,
      'flyTokens.defaultTokenName': `{app}\u202E${'x'.repeat(300)}`,
    };
    fs.writeFileSync(workspaceFile, JSON.stringify(ws, null, 2));
    await eventually(() => assert.strictEqual(vscode.workspace.getConfiguration('flyTokens').inspect('expiryWarningDays')?.workspaceValue, 1e9));
    await h.api.model.refresh();
    // Every token of the seed expires within a few years: with the days clamped to 365, the far ones are not "expiring".
    const states = h.api.model.tokens().map((r) => r.state);
    assert.ok(states.includes('active'), `a warning window of 1e9 days made every token "expiring": ${JSON.stringify(states)}`);
    h.prompter.answer('create.name', undefined);
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const asked = h.prompter.asked.find((a) => a.id === 'create.name')!;
    assert.match(asked.value ?? '', /^demo-app-deploy-\d{4}-\d{2}-\d{2}$/, 'the default name template is used instead');
  });
});
