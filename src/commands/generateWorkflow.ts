// "Fly: Generate Deploy Workflow": .github/workflows/fly-deploy.yml, shown read-only for review, written only on
// confirmation ('workflow.confirm') and never over an existing file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { remoteDefaultBranch } from '../github/gitConfig';
import { WORKFLOW_PATH, deployWorkflow } from '../github/workflow';
import { defaultSecretName, resolveGitHubApi } from '../settings/github';
import type { WorkflowRequest } from '../minting/place';
import { refuseUntrusted } from '../minting/secretTarget';
import { chooseRepo, findGitHubRepos } from '../workspace/githubRepos';

const PREVIEW_SCHEME = 'fly-workflow-preview';

function isRequest(v: unknown): v is WorkflowRequest {
  return typeof v === 'object' && v !== null && typeof (v as WorkflowRequest).root === 'string' && typeof (v as WorkflowRequest).secretName === 'string';
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

async function generate(deps: Deps, previews: Map<string, string>, arg: unknown): Promise<void> {
  if (refuseUntrusted(deps)) return;
  const prompter = deps.prompter();
  let request: WorkflowRequest;
  if (isRequest(arg)) request = arg;
  else {
    const api = resolveGitHubApi();
    const candidates = await findGitHubRepos(api.ok && api.enterpriseHost ? [api.enterpriseHost] : []);
    if (candidates.length === 0) {
      await prompter.notify('warning', vscode.l10n.t('No GitHub repository found in this workspace: the workflow goes into a checkout with a GitHub remote.'));
      return;
    }
    const c = await chooseRepo(prompter, candidates, [], vscode.l10n.t('Generate a deploy workflow for…'));
    if (!c) return;
    request = { root: c.root, secretName: defaultSecretName(), repo: c.repo };
  }
  const target = path.join(request.root, ...WORKFLOW_PATH.split('/'));
  if (await exists(target)) {
    const open = vscode.l10n.t('Open It');
    const choice = await prompter.notify('warning', vscode.l10n.t('{0} already exists; it was not changed.', WORKFLOW_PATH), open);
    if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(target));
    return;
  }

  const files = deps.model
    .workspaceApps()
    .flatMap((a) => a.files)
    .filter((f) => f.uri.scheme === 'file' && !path.relative(request.root, f.uri.fsPath).startsWith('..'))
    .map((f) => path.relative(request.root, f.uri.fsPath).split(path.sep).join('/'))
    .sort();
  let configPath: string | undefined;
  if (files.length === 1) configPath = files[0];
  else if (files.length > 1) {
    const picked = await prompter.pick(
      files.map((f) => ({ label: f })),
      { id: 'workflow.app', title: vscode.l10n.t('Generate a deploy workflow'), placeholder: vscode.l10n.t('Which fly.toml should the workflow deploy?') },
    );
    if (!picked) return;
    configPath = picked.label;
  }
  let branch = await remoteDefaultBranch(request.root);
  if (!branch && request.client && request.repo) {
    branch = await request.client.repository(request.repo).then(
      (r) => r.defaultBranch,
      () => undefined,
    );
  }
  const content = deployWorkflow({ branch: branch ?? 'main', secretName: request.secretName, configPath, environment: request.environment });

  const preview = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${path.basename(request.root)}/${WORKFLOW_PATH}` });
  previews.set(preview.toString(), content);
  await vscode.window.showTextDocument(preview, { preview: true });
  const write = vscode.l10n.t('Write {0}', WORKFLOW_PATH);
  const picked = await prompter.pick([{ label: write, description: path.basename(request.root) }, { label: vscode.l10n.t('Cancel') }], {
    id: 'workflow.confirm',
    title: vscode.l10n.t('Review the workflow, then write it'),
  });
  previews.delete(preview.toString());
  if (picked?.label !== write) return;
  // checked again: the file may have appeared while the user was reviewing
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    await fs.writeFile(target, content, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      await prompter.notify('warning', vscode.l10n.t('{0} already exists; it was not changed.', WORKFLOW_PATH));
      return;
    }
    throw e;
  }
  deps.log.info(`Wrote ${target}.`);
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  await prompter.notify(
    'info',
    vscode.l10n.t('Wrote {0}. Commit and push it: every push to {1} then deploys with the secret {2}.', WORKFLOW_PATH, branch ?? 'main', request.secretName),
  );
}

export function registerWorkflowCommand(deps: Deps): vscode.Disposable[] {
  const previews = new Map<string, string>();
  return [
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, { provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand(Command.generateDeployWorkflow, (arg?: unknown) => generate(deps, previews, arg)),
  ];
}
