import * as os from 'os';
import * as vscode from 'vscode';
import { hasUserToken } from '../fly/authHeader';
import { UnauthorizedError } from '../fly/errors';
import type { FlyClient } from '../fly/client';
import type { Viewer } from '../fly/types';
import { flyLinkOrigins } from '../http/links';
import { isLoopbackHost } from '../http/loopback';
import { apiHost, apiOrigin, decideEnvApi, resolveApiBaseUrl } from '../settings/fly';
import { linkRefusal } from '../ui/links';
import type { Prompter } from '../ui/prompter';
import { SettingsError, type Credentials } from '../flyClients';

export type SignInMethod = 'browser' | 'paste' | 'flyctl';

export interface SignInDeps {
  prompter: () => Prompter;
  /** a client that authenticates with the given candidate token, for the API it names */
  client: (candidate: Credentials) => FlyClient;
  /** where flyctl's files are looked for; the tests point these elsewhere */
  env: () => NodeJS.ProcessEnv;
  homeDir: () => string;
}

interface MethodItem extends vscode.QuickPickItem {
  method: SignInMethod;
}

type Checked = { token: string; viewer: Viewer; api: string };

/**
 * Asks how to sign in and returns a checked token (Fly answered `viewer` with it) with the API origin it was checked
 * against, or undefined when the user stopped or `cancel` fired (a newer sign-in replaced this one). Errors that
 * the user must see are thrown with a clear message.
 */
export async function runSignIn(
  deps: SignInDeps,
  method: string | undefined,
  cancel: vscode.CancellationToken = new vscode.CancellationTokenSource().token,
): Promise<Checked | undefined> {
  const base = await chooseApi(deps.prompter());
  if (base === undefined || cancel.isCancellationRequested) return undefined;
  const chosen = isMethod(method) ? method : await pickMethod(deps.prompter());
  if (cancel.isCancellationRequested) return undefined;
  const checked = await (async () => {
    switch (chosen) {
      case 'browser':
        return signInWithBrowser(deps, base, cancel);
      case 'paste':
        return signInWithPastedToken(deps, base, cancel);
      case 'flyctl':
        return signInWithFlyctl(deps, base);
      default:
        return undefined;
    }
  })();
  return cancel.isCancellationRequested ? undefined : checked;
}

/**
 * The API base URL to sign in to. FLY_API_BASE_URL in a window whose environment the repository may set (remote
 * windows, untrusted workspaces) is asked about once, naming its host; not allowed, it is ignored in this window.
 */
async function chooseApi(prompter: Prompter): Promise<string | undefined> {
  let base = resolveApiBaseUrl();
  if (!base.ok && base.confirm) {
    const url = base.confirm;
    const fallback = resolveApiBaseUrl({ ...process.env, FLY_API_BASE_URL: undefined });
    const host = apiHost(url);
    const allowed = await prompter.confirm(
      'signIn.envApi',
      vscode.l10n.t('Send your Fly.io sign-in to {0}?', host),
      vscode.l10n.t(
        "FLY_API_BASE_URL points to {0}. In a remote window or an untrusted workspace, this variable can come from the repository (remoteEnv, containerEnv), and whoever runs {0} would receive your Fly.io token. If you don't allow it, this window ignores it and uses {1}.",
        host,
        fallback.ok ? apiHost(fallback.url) : vscode.l10n.t('the API URL setting'),
      ),
      vscode.l10n.t('Allow {0}', host),
    );
    decideEnvApi(url, allowed);
    base = resolveApiBaseUrl();
  }
  if (!base.ok) throw new SettingsError(base.message);
  return base.url;
}

function isMethod(m: unknown): m is SignInMethod {
  return m === 'browser' || m === 'paste' || m === 'flyctl';
}

async function pickMethod(prompter: Prompter): Promise<SignInMethod | undefined> {
  // Browser sign-in and flyctl's login first: flyctl deprecated `fly auth token` (a30f319b5, internal/command/auth/
  // token.go: its token "may expire quickly"), so pasting one is offered last and says so.
  const items: MethodItem[] = [
    { method: 'browser', label: vscode.l10n.t('Sign in with browser'), description: vscode.l10n.t('approve on fly.io, as `fly auth login` does') },
    { method: 'flyctl', label: vscode.l10n.t("Use flyctl's login"), description: vscode.l10n.t('reads ~/.fly/config.yml or FLY_ACCESS_TOKEN / FLY_API_TOKEN once') },
    { method: 'paste', label: vscode.l10n.t('Paste an auth token'), description: vscode.l10n.t('from `fly auth token` (deprecated): may stop working soon') },
  ];
  const picked = await prompter.pick(items, { id: 'signIn.method', title: vscode.l10n.t('Sign in to Fly.io'), placeholder: vscode.l10n.t('How do you want to sign in?') });
  return picked?.method;
}

/**
 * Checks a candidate token with `viewer`; a deploy (macaroon) token is allowed after a warning. Fly refusing the
 * candidate is a sign-in error (`refused` says what to do), not the current session going bad: an
 * UnauthorizedError reaching showError would mark the stored session invalid and say it "no longer" works.
 */
async function verify(deps: SignInDeps, base: string, token: string, refused: string): Promise<Checked | undefined> {
  const api = apiOrigin(base);
  let viewer: Viewer;
  try {
    viewer = await deps.client({ token, api }).viewer();
  } catch (e) {
    if (e instanceof UnauthorizedError) throw new SignInError(refused);
    throw e;
  }
  // A bundle as flyctl's config keeps it (macaroons plus a `fo1_` user token) is a full login: only a credential
  // without any user token is limited.
  if (!hasUserToken(token)) {
    const ok = await deps.prompter().confirm(
      'signIn.limitedToken',
      vscode.l10n.t('This is a limited Fly.io token (for example a deploy token).'),
      vscode.l10n.t('It can only see what it was made for and cannot create tokens for other apps. Sign in with the browser or with flyctl\'s login for full use. Use this token anyway?'),
      vscode.l10n.t('Use Anyway'),
    );
    if (!ok) return undefined;
  }
  return { token, viewer, api };
}

async function signInWithPastedToken(deps: SignInDeps, base: string, cancel: vscode.CancellationToken): Promise<Checked | undefined> {
  const token = await deps.prompter().input({
    id: 'signIn.token',
    title: vscode.l10n.t('Sign in to Fly.io'),
    prompt: vscode.l10n.t(
      'Paste a Fly.io auth token. One from `fly auth token` (deprecated) may stop working soon: you will then be asked to sign in again. Signing in with the browser lasts longer. Kept in VS Code\'s secret storage only.',
    ),
    password: true,
    validate: (v) => (v.trim() === '' ? vscode.l10n.t('Paste a token, or press Escape to cancel.') : undefined),
    cancellation: cancel,
  });
  if (!token?.trim() || cancel.isCancellationRequested) return undefined;
  return verify(
    deps,
    base,
    token.trim(),
    vscode.l10n.t('Fly.io did not accept this token: it may be incomplete or already expired. Sign in with the browser instead, or paste all of it.'),
  );
}

async function signInWithFlyctl(deps: SignInDeps, base: string): Promise<Checked | undefined> {
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
    base,
    found.token,
    found.source === 'config'
      ? vscode.l10n.t("Fly.io did not accept flyctl's token from its config file. Run `fly auth login` in a terminal, or choose another way to sign in.")
      : vscode.l10n.t('Fly.io did not accept the token in {0}. Check that variable, or choose another way to sign in.', found.source),
  );
}

/**
 * Where the browser reaches the loopback listener on `localPort`. In a remote window the extension host is not on
 * the user's machine: VS Code forwards the port (asExternalUri). Fly can send the browser back only to
 * http://127.0.0.1:PORT/callback, so a forward that is a loopback port on the user's side is used; anything else
 * (a proxy address, as Codespaces and code-server give) means no callback, and the user pastes the code instead.
 */
async function forwardedPort(localPort: number): Promise<{ port: number } | { port: null; reason: string }> {
  const local = vscode.Uri.parse(`http://127.0.0.1:${localPort}/callback`, true);
  let external: vscode.Uri;
  try {
    external = await vscode.env.asExternalUri(local);
  } catch {
    return { port: null, reason: vscode.l10n.t('VS Code could not forward a port for the sign-in callback.') };
  }
  const m = /^(.*):(\d+)$/.exec(external.authority);
  const port = m ? Number(m[2]) : NaN;
  if (external.scheme === 'http' && m && isLoopbackHost(m[1]) && port > 0 && port < 65536 && external.path === '/callback' && !external.query) {
    return { port };
  }
  return {
    port: null,
    reason: vscode.l10n.t(
      'This window runs on another machine, and VS Code forwards the sign-in callback as {0}, which Fly.io cannot send your browser back to.',
      `${external.scheme}://${external.authority}`,
    ),
  };
}

async function signInWithBrowser(deps: SignInDeps, base: string, cancel: vscode.CancellationToken): Promise<Checked | undefined> {
  // The browser flow is its own file (see esbuild.mjs): loaded only when this method is chosen.
  const { LoginCancelledError, startBrowserLogin } = await import('../fly/login');
  const prompter = deps.prompter();
  const token = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to Fly.io in your browser…'), cancellable: true },
    async (_progress, progressCancel) => {
      // Stopped by the progress notification's Cancel, by a newer sign-in, or by dismissing the code box.
      const stop = new AbortController();
      const subs = [cancel, progressCancel].map((c) => c.onCancellationRequested(() => stop.abort()));
      if (cancel.isCancellationRequested) stop.abort();
      let noCallback: string | undefined;
      const closeInput = new vscode.CancellationTokenSource();
      try {
        const login = await startBrowserLogin({
          baseUrl: base,
          sessionName: `VS Code on ${os.hostname()}`,
          signal: stop.signal,
          forwardPort: async (port) => {
            const f = await forwardedPort(port);
            if (f.port === null) noCallback = f.reason;
            return f.port;
          },
          // As flyctl: the page's code did not redeem, but the sign-in goes on; the user may paste the code it shows.
          onCallbackCodeRefused: (e) =>
            void prompter.notify(
              'warning',
              vscode.l10n.t('The code from your browser did not finish the sign-in: {0} If the Fly.io page shows a code, paste it here.', e.message),
            ),
        });
        try {
          // The page comes from the API's answer: opened only on Fly's site or the API's own origin.
          const refusal = linkRefusal(login.authUrl, flyLinkOrigins(base), vscode.l10n.t('the sign-in page'));
          if (refusal) throw new SignInError(refusal);
          await prompter.openExternal(vscode.Uri.parse(new URL(login.authUrl).href, true));
          // While the browser page is open, the user may instead paste the code it shows (e.g. approved on another machine).
          const pasted = (async () => {
            for (;;) {
              const code = await prompter.input({
                id: 'signIn.browserCode',
                title: vscode.l10n.t('Sign in to Fly.io with your browser'),
                prompt: !login.pkce
                  ? vscode.l10n.t('Approve the sign-in in your browser; this completes by itself.')
                  : noCallback
                    ? vscode.l10n.t('{0} Approve the sign-in in your browser, then paste the code the page shows here.', noCallback)
                    : vscode.l10n.t('Approve the sign-in in your browser; this completes by itself. If the page shows a code, paste it here.'),
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
          try {
            return await login.token;
          } finally {
            closeInput.cancel();
            await pasted;
          }
        } finally {
          login.cancel();
        }
      } catch (e) {
        if (e instanceof LoginCancelledError) return undefined;
        throw e;
      } finally {
        closeInput.dispose();
        for (const s of subs) s.dispose();
      }
    },
  );
  if (token === undefined || cancel.isCancellationRequested) return undefined;
  return verify(deps, base, token, vscode.l10n.t('Fly.io did not accept the token this sign-in produced. Start Sign In again.'));
}

/** A sign-in problem to show as it is (its text is already user-facing). */
export class SignInError extends Error {}
