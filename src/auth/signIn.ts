import * as os from 'os';
import * as vscode from 'vscode';
import { isMacaroonToken } from '../fly/authHeader';
import { UnauthorizedError } from '../fly/errors';
import type { FlyClient } from '../fly/client';
import type { Viewer } from '../fly/types';
import { resolveApiBaseUrl } from '../settings/fly';
import type { Prompter } from '../ui/prompter';
import { SettingsError } from '../flyClients';

export type SignInMethod = 'browser' | 'paste' | 'flyctl';

export interface SignInDeps {
  prompter: () => Prompter;
  /** a client that authenticates with the given candidate token */
  client: (token: string) => FlyClient;
  /** where flyctl's files are looked for; the tests point these elsewhere */
  env: () => NodeJS.ProcessEnv;
  homeDir: () => string;
}

interface MethodItem extends vscode.QuickPickItem {
  method: SignInMethod;
}

/**
 * Asks how to sign in and returns a checked token (Fly answered `viewer` with it), or undefined when the user
 * stopped. Errors that the user must see are thrown with a clear message.
 */
export async function runSignIn(deps: SignInDeps, method?: string): Promise<{ token: string; viewer: Viewer } | undefined> {
  const chosen = isMethod(method) ? method : await pickMethod(deps.prompter());
  switch (chosen) {
    case 'browser':
      return signInWithBrowser(deps);
    case 'paste':
      return signInWithPastedToken(deps);
    case 'flyctl':
      return signInWithFlyctl(deps);
    default:
      return undefined;
  }
}

function isMethod(m: unknown): m is SignInMethod {
  return m === 'browser' || m === 'paste' || m === 'flyctl';
}

async function pickMethod(prompter: Prompter): Promise<SignInMethod | undefined> {
  const items: MethodItem[] = [
    { method: 'browser', label: vscode.l10n.t('Sign in with browser'), description: vscode.l10n.t('approve on fly.io, as `fly auth login` does') },
    { method: 'paste', label: vscode.l10n.t('Paste an auth token'), description: vscode.l10n.t('from `fly auth token` or the dashboard') },
    { method: 'flyctl', label: vscode.l10n.t("Use flyctl's login"), description: vscode.l10n.t('reads ~/.fly/config.yml or FLY_ACCESS_TOKEN / FLY_API_TOKEN once') },
  ];
  const picked = await prompter.pick(items, { id: 'signIn.method', title: vscode.l10n.t('Sign in to Fly.io'), placeholder: vscode.l10n.t('How do you want to sign in?') });
  return picked?.method;
}

/**
 * Checks a candidate token with `viewer`; a deploy (macaroon) token is allowed after a warning. Fly refusing the
 * candidate is a sign-in error (`refused` says what to do), not the current session going bad: an
 * UnauthorizedError reaching showError would mark the stored session invalid and say it "no longer" works.
 */
async function verify(deps: SignInDeps, token: string, refused: string): Promise<{ token: string; viewer: Viewer } | undefined> {
  let viewer: Viewer;
  try {
    viewer = await deps.client(token).viewer();
  } catch (e) {
    if (e instanceof UnauthorizedError) throw new SignInError(refused);
    throw e;
  }
  if (viewer.kind === 'macaroon' || isMacaroonToken(token)) {
    const ok = await deps.prompter().confirm(
      'signIn.limitedToken',
      vscode.l10n.t('This is a limited Fly.io token (for example a deploy token).'),
      vscode.l10n.t('It can only see what it was made for and cannot create tokens for other apps. Sign in with your user auth token (`fly auth token`) for full use. Use this token anyway?'),
      vscode.l10n.t('Use Anyway'),
    );
    if (!ok) return undefined;
  }
  return { token, viewer };
}

async function signInWithPastedToken(deps: SignInDeps): Promise<{ token: string; viewer: Viewer } | undefined> {
  const token = await deps.prompter().input({
    id: 'signIn.token',
    title: vscode.l10n.t('Sign in to Fly.io'),
    prompt: vscode.l10n.t('Paste a Fly.io auth token (run `fly auth token` to print yours). It is kept in VS Code\'s secret storage only.'),
    password: true,
    validate: (v) => (v.trim() === '' ? vscode.l10n.t('Paste a token, or press Escape to cancel.') : undefined),
  });
  if (!token?.trim()) return undefined;
  return verify(
    deps,
    token.trim(),
    vscode.l10n.t('Fly.io did not accept this token. Check that you pasted all of it (`fly auth token` prints yours), or choose another way to sign in.'),
  );
}

async function signInWithFlyctl(deps: SignInDeps): Promise<{ token: string; viewer: Viewer } | undefined> {
  // A separate bundle (see esbuild.mjs): its YAML parser is loaded only for this method.
  const { findFlyctlToken } = await import('../fly/flyctlConfig');
  const found = await findFlyctlToken(deps.env(), deps.homeDir());
  if ('error' in found) throw new SignInError(found.error);
  if (found.stale) {
    const ok = await deps.prompter().confirm(
      'signIn.staleFlyctl',
      vscode.l10n.t("flyctl's login is more than 30 days old."),
      vscode.l10n.t('flyctl itself would ask you to run `fly auth login` again. Try this token anyway?'),
      vscode.l10n.t('Try It'),
    );
    if (!ok) return undefined;
  }
  return verify(
    deps,
    found.token,
    found.source === 'config'
      ? vscode.l10n.t("Fly.io did not accept flyctl's token from its config file. Run `fly auth login` in a terminal, or choose another way to sign in.")
      : vscode.l10n.t('Fly.io did not accept the token in {0}. Check that variable, or choose another way to sign in.', found.source),
  );
}

async function signInWithBrowser(deps: SignInDeps): Promise<{ token: string; viewer: Viewer } | undefined> {
  const base = resolveApiBaseUrl();
  if (!base.ok) throw new SettingsError(base.message);
  // The browser flow is its own file (see esbuild.mjs): loaded only when this method is chosen.
  const { LoginCancelledError, startBrowserLogin } = await import('../fly/login');
  const login = await startBrowserLogin({ baseUrl: base.url, sessionName: `VS Code on ${os.hostname()}` });
  const prompter = deps.prompter();
  const closeInput = new vscode.CancellationTokenSource();
  try {
    await prompter.openExternal(vscode.Uri.parse(login.authUrl, true));
    // While the browser page is open, the user may instead paste the code it shows (e.g. approved on another machine).
    const pasted = (async () => {
      for (;;) {
        const code = await prompter.input({
          id: 'signIn.browserCode',
          title: vscode.l10n.t('Sign in to Fly.io with your browser'),
          prompt: login.pkce
            ? vscode.l10n.t('Approve the sign-in in your browser; this completes by itself. If the page shows a code, paste it here.')
            : vscode.l10n.t('Approve the sign-in in your browser; this completes by itself.'),
          placeholder: login.authUrl,
          cancellation: closeInput.token,
        });
        if (closeInput.token.isCancellationRequested) return;
        if (code === undefined) {
          login.cancel();
          return;
        }
        if (!code.trim()) continue;
        try {
          await login.submitCode(code.trim());
          return;
        } catch (e) {
          void prompter.notify('error', e instanceof Error ? e.message : String(e));
        }
      }
    })();
    let token: string;
    try {
      token = await login.token;
    } catch (e) {
      if (e instanceof LoginCancelledError) return undefined;
      throw e;
    } finally {
      closeInput.cancel();
      await pasted;
    }
    return verify(deps, token, vscode.l10n.t('Fly.io did not accept the token this sign-in produced. Start Sign In again.'));
  } finally {
    login.cancel();
    closeInput.dispose();
  }
}

/** A sign-in problem to show as it is (its text is already user-facing). */
export class SignInError extends Error {}
