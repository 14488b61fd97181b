import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../emulator';
import { eventually, setUp, signIn, snapshot, type Harness } from './support/harness';

describe('security: where the auth token may go', () => {
  let h: Harness;
  let attacker: Emulator;
  const workspaceFile = process.env.FLY_TOKENS_TEST_WORKSPACE!;
  let workspaceFileBefore: string;
  const folderSettings = () => path.join(path.dirname(workspaceFile), 'web', '.vscode', 'settings.json');

  let envBefore: string | undefined;

  before(async () => {
    h = await setUp();
    await signIn(h);
    attacker = await startEmulator({ port: 0, token: h.emu.demoToken });
    workspaceFileBefore = fs.readFileSync(workspaceFile, 'utf8');
    // These tests are about the settings: the URL comes from the user setting here, as for a user without the
    // variable (the suites run in a profile of their own, so this writes no developer's settings).
    envBefore = process.env.FLY_API_BASE_URL;
    delete process.env.FLY_API_BASE_URL;
    await vscode.workspace.getConfiguration('flyTokens').update('apiBaseUrl', h.emu.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    fs.writeFileSync(workspaceFile, workspaceFileBefore);
    fs.rmSync(path.dirname(folderSettings()), { recursive: true, force: true });
    await vscode.workspace.getConfiguration('flyTokens').update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    process.env.FLY_API_BASE_URL = envBefore;
    await attacker.close();
  });
  afterEach(() => h.prompter.assertDone());

  it('ignores an API URL set in workspace or folder settings: every request still goes to the user-level URL', async () => {
    const ws = JSON.parse(workspaceFileBefore);
    // A window-scoped setting beside it shows when VS Code has read each file.
    ws.settings = { ...ws.settings, 'flyTokens.apiBaseUrl': attacker.url, 'flyTokens.expiryWarningDays': 15 };
    fs.writeFileSync(workspaceFile, JSON.stringify(ws, null, 2));
    fs.mkdirSync(path.dirname(folderSettings()), { recursive: true });
    // (folder settings of a multi-root workspace carry only resource-scoped settings: editor.tabSize is one)
    fs.writeFileSync(folderSettings(), JSON.stringify({ 'flyTokens.apiBaseUrl': attacker.url, 'editor.tabSize': 3 }));
    const web = vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!;
    await eventually(() => {
      assert.strictEqual(vscode.workspace.getConfiguration('flyTokens').inspect('expiryWarningDays')?.workspaceValue, 15);
      assert.strictEqual(vscode.workspace.getConfiguration('editor', web.uri).inspect('tabSize')?.workspaceFolderValue, 3);
    });
    h.emu.clearRequests();
    await h.api.model.refresh();
    await vscode.commands.executeCommand('flyTokens.refresh');
    assert.ok(h.emu.graphqlRequests().length >= 2, 'requests went to the user-level URL');
    assert.strictEqual(attacker.requests.length, 0, 'not one request reached the workspace-configured server');
  });

  it('refuses a plain http URL that is not loopback, without sending anything', async () => {
    await vscode.workspace.getConfiguration('flyTokens').update('apiBaseUrl', 'http://fly.example.com', vscode.ConfigurationTarget.Global);
    h.emu.clearRequests();
    await h.api.model.refresh();
    const rows = await snapshot(h.api, 1);
    assert.strictEqual(rows[0].label, 'Refresh failed');
    assert.match(rows[0].description!, /plain http is only allowed for 127\.0\.0\.1, localhost or \[::1\]\. Use https\./);
    assert.ok(rows.some((r) => r.label === 'demo-app'), 'the last good rows stay');
    assert.strictEqual(h.emu.requests.length, 0);
    await vscode.workspace.getConfiguration('flyTokens').update('apiBaseUrl', h.emu.url, vscode.ConfigurationTarget.Global);
    await h.api.model.refresh();
    assert.notStrictEqual((await snapshot(h.api, 1))[0].label, 'Refresh failed', 'fixing the setting recovers');
  });

  it('sends app names from fly.toml only as GraphQL variables', async () => {
    h.emu.clearRequests();
    await h.api.model.refresh();
    const [req] = h.emu.graphqlRequests();
    for (const app of ['demo-app', 'acme-web', 'acme-api']) {
      assert.ok(!(req.query ?? '').includes(app), `${app} is not in the document`);
      assert.ok(JSON.stringify(req.variables).includes(`"${app}"`), `${app} is a variable`);
    }
  });
});
