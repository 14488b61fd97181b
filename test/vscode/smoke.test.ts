import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'fly-deploy-tokens.fly-deploy-tokens';

describe('smoke: the extension inside a real VS Code', () => {
  it('is installed, activates, registers its commands and exposes the test API', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);

    const api: unknown = await extension.activate();
    assert.strictEqual(extension.isActive, true);

    const contributed: string[] = (extension.packageJSON?.contributes?.commands ?? []).map(
      (c: { command: string }) => c.command,
    );
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed commands that activation did not register',
    );

    assert.strictEqual(
      typeof (api as { setPrompter?: unknown } | undefined)?.setPrompter,
      'function',
      'in Test mode activate() returns an API with setPrompter()',
    );
  });

  it('runs in the multi-root fixture workspace the harness opened', () => {
    const expected = process.env.FLY_TOKENS_TEST_WORKSPACE;
    assert.ok(expected, 'the harness did not pass FLY_TOKENS_TEST_WORKSPACE to the extension host');
    assert.strictEqual(vscode.workspace.workspaceFile?.fsPath, path.resolve(expected));
    assert.deepStrictEqual(
      (vscode.workspace.workspaceFolders ?? []).map((f) => f.name),
      ['web', 'api'],
    );
  });
});
