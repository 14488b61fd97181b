// "Fly: Generate Deploy Workflow": .github/workflows/fly-deploy.yml, shown read-only for review, written only on
// confirmation ('workflow.confirm') and never over an existing file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { remoteDefaultBranch } from '../github/gitConfig';
import { WORKFLOW_PATH, workflowProblem, type WorkflowField, type WorkflowOptions } from '../github/workflow';
import { visibleText } from '../ui/visibleText';
import { defaultSecretName, resolveGitHubApi } from '../settings/github';
import type { WorkflowRequest } from '../minting/place';
import { refuseUntrusted } from '../minting/secretTarget';
import { chooseRepo, findGitHubRepos } from '../workspace/githubRepos';

const PREVIEW_SCHEME = 'fly-workflow-preview';

function isRequest(v: unknown): v is WorkflowRequest {
  return typeof v === 'object' && v !== null && typeof (v as WorkflowRequest).root === 'string' && typeof (v as WorkflowRequest).secretName === 'string';
}

/** Why a value cannot go into the workflow, in a sentence that names it (escaped, so it shows what is there). */
function refusal(field: WorkflowField, o: WorkflowOptions): string {
  switch (field) {
    case 'branch':
      return vscode.l10n.t('The branch name "{0}" cannot go into a workflow: it holds spaces, line breaks, control characters or "${{".', visibleText(o.branch));
    case 'secretName':
      return vscode.l10n.t('"{0}" is not a GitHub secret name: use letters, digits and underscores, not starting with a digit or GITHUB_.', visibleText(o.secretName));
    case 'configPath':
      return vscode.l10n.t('The fly.toml path "{0}" cannot go into a workflow: it holds line breaks, control characters or "${{". Rename its folder.', visibleText(o.configPath ?? ''));
    case 'environment':
      return vscode.l10n.t('The environment name "{0}" cannot go into a workflow: it holds line breaks, control characters or "${{".', visibleText(o.environment ?? ''));
  }
}

/**
 * A request from another command (or another extension: the command is public) is checked before anything is
 * read: a checkout inside the workspace, and values that are safe in a workflow.
 */
function requestProblem(r: WorkflowRequest): string | undefined {
  if (!path.isAbsolute(r.root) || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(r.root))) {
    return vscode.l10n.t('"{0}" is not a folder of this workspace.', visibleText(r.root));
  }
  const field = workflowProblem({ branch: 'main', secretName: r.secretName, environment: r.environment });
  return field && refusal(field, { branch: 'main', secretName: r.secretName, environment: r.environment });
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
  if (isRequest(arg)) {
    const problem = requestProblem(arg);
    if (problem) {
      await prompter.notify('error', vscode.l10n.t('The deploy workflow was not generated. {0}', problem));
      return;
    }
    request = arg;
  } else {
    const api = resolveGitHubApi();
    if (!api.ok) {
      await prompter.notify('error', api.message);
      return;
    }
    const candidates = await findGitHubRepos(api.repoHost, api.url);
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
  const options: WorkflowOptions = { branch: branch ?? 'main', secretName: request.secretName, configPath, environment: request.environment };
  const field = workflowProblem(options);
  if (field) {
    await prompter.notify('error', vscode.l10n.t('The deploy workflow was not generated. {0}', refusal(field, options)));
    return;
  }
  // Its own file (see esbuild.mjs): the YAML library is loaded only when a workflow is generated.
  const { deployWorkflow } = await import('../github/workflowYaml');
  const content = deployWorkflow(options);

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
