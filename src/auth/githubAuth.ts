// A GitHub token for the secret calls: VS Code's GitHub sign-in (scope "repo") for github.com, or a pasted token kept
// in SecretStorage only (GitHub Enterprise, a test API, or when the user prefers it).
import * as vscode from 'vscode';
import { SettingsError } from '../flyClients';
import { GitHubClient } from '../github/client';
import { GitHubError } from '../github/errors';
import type { Log } from '../log';
import type { Prompter } from '../ui/prompter';
import { resolveGitHubApi } from '../settings/github';

const SECRET_KEY = 'flyTokens.githubToken';

interface StoredToken {
  /** the API the token was verified against: it is never sent anywhere else */
  api: string;
  token: string;
}

/** Fly: Sign Out of GitHub could not delete the stored token. */
export class GitHubSignOutError extends Error {
  constructor() {
    super(vscode.l10n.t("VS Code's secret storage refused to delete your GitHub token, so it may still be stored. Unlock your system keyring and try again."));
  }
}

/**
 * Whether VS Code may have a "github" authentication provider, known without waiting for one. An extension of this
 * extension host that declares it (the built-in GitHub Authentication, unless disabled) says yes. Where none does,
 * one can still live on the local side of a desktop remote window (Remote-SSH, WSL, containers: the provider
 * extension prefers the UI side); anywhere else (VS Code's built-in disabled, editors without it) there is none.
 */
export function mayHaveGitHubProvider(): boolean {
  const declared = vscode.extensions.all.some((extension) => {
    const contributes = (extension.packageJSON as { contributes?: { authentication?: { id?: unknown }[] } }).contributes;
    return Array.isArray(contributes?.authentication) && contributes.authentication.some((provider) => provider?.id === 'github');
  });
  return declared || (vscode.env.remoteName !== undefined && vscode.env.uiKind === vscode.UIKind.Desktop);
}

export class GitHubAuth {
  /** the token of the client handed out last, and where it came from: `rejected()` forgets only that one */
  private issued: { token: string; source: 'vscode' | 'stored' } | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
    private readonly userAgent: string,
  ) {}

  /** A client signed in to GitHub, asking the user when needed; undefined when they cancel. */
  async client(prompter: Prompter): Promise<GitHubClient | undefined> {
    const api = resolveGitHubApi();
    if (!api.ok) throw new SettingsError(api.message);
    const client = (token: string, source: 'vscode' | 'stored') => {
      this.issued = { token, source };
      return new GitHubClient({ token, baseUrl: api.url, userAgent: this.userAgent, onRequest: (l) => this.log.info(l) });
    };
    const make = (token: string) => client(token, 'stored');
    // Asking VS Code for a session of a provider nobody registered waits 5 s and fails: only ask where one may exist.
    const viaVsCode = api.isDefault && mayHaveGitHubProvider();
    if (viaVsCode) {
      const session = await this.vscodeSession(false);
      if (session) return client(session.accessToken, 'vscode');
    }
    const stored = await this.stored(api.url);
    if (stored) return make(stored);

    let method: 'vscode' | 'paste' = 'paste';
    if (viaVsCode) {
      const signIn = vscode.l10n.t('Sign in with GitHub');
      const paste = vscode.l10n.t('Paste a GitHub token');
      const picked = await prompter.pick(
        [
          { label: signIn, description: vscode.l10n.t("VS Code's GitHub account (scope: repo)") },
          { label: paste, description: vscode.l10n.t('a personal access token with the repo scope, kept in secret storage') },
        ],
        { id: 'github.auth', title: vscode.l10n.t('Sign in to GitHub to set Actions secrets') },
      );
      if (!picked) return undefined;
      method = picked.label === signIn ? 'vscode' : 'paste';
    }
    if (method === 'vscode') {
      const session = await this.vscodeSession(true);
      return session ? client(session.accessToken, 'vscode') : undefined;
    }
    return this.paste(prompter, api.url, make);
  }

  private async vscodeSession(interactive: boolean): Promise<vscode.AuthenticationSession | undefined> {
    try {
      return await vscode.authentication.getSession('github', ['repo'], interactive ? { createIfNone: true } : { silent: true });
    } catch (e) {
      // No GitHub provider (e.g. some remote or web hosts), or the user declined.
      if (interactive) this.log.warn(`GitHub sign-in through VS Code failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private async paste(prompter: Prompter, apiUrl: string, make: (token: string) => GitHubClient): Promise<GitHubClient | undefined> {
    const host = new URL(apiUrl).host;
    for (;;) {
      const token = await prompter.input({
        id: 'github.token',
        title: vscode.l10n.t('GitHub token for {0}', host),
        prompt: vscode.l10n.t('A GitHub token that may set the repository\'s Actions secrets (classic: "repo" scope; fine-grained: Secrets read and write). It is kept in VS Code\'s secret storage only.'),
        password: true,
        validate: (v) => (v.trim() === '' ? vscode.l10n.t('Paste the token, or press Escape to cancel.') : /\s/.test(v.trim()) ? vscode.l10n.t('A GitHub token has no spaces.') : undefined),
      });
      if (token === undefined) return undefined;
      const client = make(token.trim());
      try {
        const user = await client.user();
        await this.secrets.store(SECRET_KEY, JSON.stringify({ api: apiUrl, token: token.trim() } satisfies StoredToken));
        this.log.info(`Signed in to GitHub (${host}) as ${user.login} with a pasted token.`);
        return client;
      } catch (e) {
        if (!(e instanceof GitHubError) || e.kind !== 'unauthorized') throw e;
        const again = vscode.l10n.t('Paste Another');
        if ((await prompter.notify('error', vscode.l10n.t('GitHub did not accept that token.'), again)) !== again) return undefined;
      }
    }
  }

  private async stored(apiUrl: string): Promise<string | undefined> {
    const raw = await this.secrets.get(SECRET_KEY);
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as StoredToken;
      return v.api === apiUrl && typeof v.token === 'string' ? v.token : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * After GitHub refused the token last handed out: that pasted token is forgotten, so the next attempt asks again.
   * Nothing else is deleted: not a pasted token when VS Code's GitHub session was refused, and not a token stored
   * since (e.g. pasted in another window).
   */
  async rejected(): Promise<void> {
    const refused = this.issued;
    if (!refused) return;
    if (refused.source === 'vscode') {
      this.log.warn("GitHub refused VS Code's GitHub sign-in; sign out of GitHub in the Accounts menu and sign in again. No stored token was removed.");
      return;
    }
    const raw = await this.secrets.get(SECRET_KEY);
    let stored: string | undefined;
    try {
      stored = raw ? (JSON.parse(raw) as StoredToken).token : undefined;
    } catch {
      stored = undefined;
    }
    if (stored !== refused.token) {
      this.log.warn('GitHub refused a GitHub token that is no longer the stored one; the stored token was kept.');
      return;
    }
    await this.secrets.delete(SECRET_KEY);
    this.log.warn('GitHub refused the stored GitHub token; it was removed from secret storage.');
  }

  /** Fly: Sign Out of GitHub: forgets the pasted token. 'none' when there was none; throws when it can't be deleted. */
  async signOut(): Promise<'removed' | 'none'> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(SECRET_KEY);
    } catch {
      raw = undefined;
    }
    if (!raw) return 'none';
    try {
      await this.secrets.delete(SECRET_KEY);
    } catch {
      throw new GitHubSignOutError();
    }
    this.issued = undefined;
    this.log.info('Signed out of GitHub: the pasted GitHub token was removed from secret storage.');
    return 'removed';
  }
}
