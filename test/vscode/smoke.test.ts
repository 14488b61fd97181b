import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'fly-deploy-tokens.fly-deploy-tokens';

describe('smoke: the extension inside a real VS Code', () => {
  // That activation registers every contributed command is manifest.test.ts's to prove.
  it('is installed, activates and exposes the test API', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);

    const api: unknown = await extension.activate();
    assert.strictEqual(extension.isActive, true);

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
