import * as os from 'os';
import { BatchMemory } from './fly/client';
import * as vscode from 'vscode';
import { clientFactory, currentApiOrigin, type Credentials } from './flyClients';
import { FlyAuth } from './auth/flyAuth';
import { runSignIn } from './auth/signIn';
import { registerAccountCommands } from './commands/account';
import { registerCreateToken } from './commands/createToken';
import type { Deps } from './deps';
import { registerRevokeTokens } from './commands/revokeTokens';
import { registerTokenActions } from './commands/tokenActions';
import { registerViewOptions } from './commands/viewOptions';
import { userAgent } from './http/userAgent';
import { decideEnvApi } from './settings/fly';
import { Log } from './log';
import { VIEW_ID } from './commandIds';
import { TokensModel } from './model/tokensModel';
import { TokensTree } from './tree/tokensTree';
import { followListing } from './tree/viewMessage';
import { VsCodePrompter, type Prompter } from './ui/prompter';
import { FlyFiles } from './workspace/flyFiles';
import { ExpiryWarnings } from './tree/expiryWarnings';
import { registerGitHubCommands, setCreatedAsSecret } from './commands/githubSecret';
import { GitHubAuth } from './auth/githubAuth';
import { registerGitHubSignOut } from './commands/githubAccount';
import { registerRotate } from './commands/rotateToken';
import { registerWorkflowCommand } from './commands/generateWorkflow';
import { registerCreateOrgToken } from './commands/createOrgToken';
import { registerRevokeLeakedToken } from './commands/revokeLeakedToken';
import { registerReviewHygiene, type HygieneView } from './commands/reviewHygiene';
import type { FlyNode } from './tree/nodes';
import { clearPendingNow } from './minting/clipboard';
import { openWalkthroughOnce } from './ui/walkthrough';
import { trackRestrictedMode } from './workspace/restrictedMode';
import { registerLeakFinder, type LeakFinderHandle } from './leaks/index';

/** Set by the bundler (esbuild.mjs): false in a production build, which then holds no trace of the test API. */
declare const TEST_HOOKS: boolean;

/** What the extension's own tests may reach (only in Test mode, and only in a development or test build). */
export interface TestApi {
  setPrompter(p: Prompter | undefined): void;
  /** what was fetched: refresh, scope, records */
  model: TokensModel;
  /** the rows the view shows */
  tree: TokensTree;
  /** a second model over the same state, as the next window would build it (first paint from the cache) */
  makeModel(): TokensModel;
  auth: FlyAuth;
  /** to prove what the extension keeps in its mementos (never a token) */
  context: vscode.ExtensionContext;
  /** the Deploy Tokens view (its badge counts expiring tokens) */
  view: vscode.TreeView<FlyNode>;
  warnings: ExpiryWarnings;
  /** the Token Hygiene report (its HTML, and the messages its buttons send) */
  hygiene: HygieneView;
  /** fly.toml discovery, timed by the bench */
  flyFiles: FlyFiles;
  /**
   * The suite points the extension at its emulator through FLY_API_BASE_URL; in a remote window (code-server) the
   * extension would first ask the user whether to use it. This answers that question, as the user would, for that URL.
   */
  allowApiFromEnvironment(url: string): void;
  /**
   * Forgets the batch sizes the Fly clients learned this session (src/fly/client.ts BatchMemory), as a new window
   * starts: each suite begins where a user does.
   */
  forgetClientMemory(): void;
  /** the leak finder (diagnostics, hover, workspace scan) */
  leaks: LeakFinderHandle;
}

/** A token the user pasted to check or revoke: it goes to the API in effect now, and nowhere else. */
function pastedCredentials(token: string | undefined): Credentials | undefined {
  const api = currentApiOrigin();
  return token && api ? { token, api } : undefined;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  context.subscriptions.push(trackRestrictedMode()); // first: the menus' `when` clauses read it
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const log = new Log();
  const real = new VsCodePrompter();
  let prompter: Prompter = real;
  const makeClient = clientFactory(log, version);

  const auth = new FlyAuth(context.secrets, log, (method, cancel) =>
    runSignIn(
      {
        prompter: () => prompter,
        client: (candidate) => makeClient(async () => candidate),
        env: () => process.env,
        homeDir: () => os.homedir(),
      },
      method,
      cancel,
    ),
  );
  const flyFiles = new FlyFiles();
  const client = () => makeClient(() => auth.credentials());
  const makeModel = () =>
    new TokensModel({
      memento: context.workspaceState,
      session: auth,
      flyFiles,
      client,
      log,
      busy: (task) => vscode.window.withProgress({ location: { viewId: VIEW_ID } }, task),
    });
  const model = makeModel();
  const tree = new TokensTree(model);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });

  const clientWith = (getToken: () => Promise<string | undefined>) => makeClient(async () => pastedCredentials(await getToken()));
  const deps: Deps = { context, auth, model, client, clientWith, prompter: () => prompter, log };
  const github = new GitHubAuth(context.secrets, log, userAgent(version, vscode.version));
  const warnings = new ExpiryWarnings(deps, view);
  const hygiene = registerReviewHygiene(deps);
  const leaks = registerLeakFinder(deps);
  context.subscriptions.push(
    log,
    auth,
    flyFiles,
    model,
    tree,
    view,
    followListing(view, model),
    registerCreateToken(deps, setCreatedAsSecret(deps, github)),
    registerGitHubCommands(deps, github),
    registerGitHubSignOut(deps, github),
    registerRotate(deps, github),
    ...registerWorkflowCommand(deps),
    warnings,
    registerRevokeTokens(deps),
    registerCreateOrgToken(deps, github),
    registerRevokeLeakedToken(deps),
    hygiene.disposable,
    ...registerAccountCommands(deps),
    ...registerViewOptions(deps),
    ...registerTokenActions(deps),
    ...leaks.disposables,
  );
  void auth.publish(); // its state event loads the view
  openWalkthroughOnce(context);

  if (TEST_HOOKS && context.extensionMode === vscode.ExtensionMode.Test) {
    const allowApiFromEnvironment = (url: string) => decideEnvApi(url, true);
    const setPrompter = (p: Prompter | undefined) => (prompter = p ?? real);
    const forgetClientMemory = (): void => {
      BatchMemory.forgetAll();
    };
    return {
      setPrompter,
      model,
      tree,
      makeModel,
      auth,
      context,
      view,
      warnings,
      flyFiles,
      allowApiFromEnvironment,
      hygiene: hygiene.view,
      forgetClientMemory,
      leaks: leaks.handle,
    };
  }
  return undefined;
}

/** Everything else is in context.subscriptions; a clipboard clear still pending is done now, not lost. */
export function deactivate(): Promise<void> {
  return clearPendingNow();
}
