import * as vscode from 'vscode';
import type { Viewer } from '../fly/types';
import type { Log } from '../log';
import type { Credentials } from '../flyClients';
import { sessionBelongsHere } from '../http/loopback';
import { apiOrigin, decideEnvApi, onDidDecideEnvApi, resolveApiBaseUrl } from '../settings/fly';

export const PROVIDER_ID = 'flyio';
const SECRET_KEY = 'flyTokens.session';
/** Sessions stored before they carried their API were made for Fly's own (or so they are treated: never sent elsewhere). */
const LEGACY_API = 'https://api.fly.io';

/** What lives in SecretStorage (and nowhere else): the parent auth token, who it belongs to and for which API. */
interface StoredSession {
  id: string;
  token: string;
  email: string;
  kind: Viewer['kind'];
  /** the API origin the token was made for (e.g. https://api.fly.io): it is sent nowhere else */
  api: string;
  /** the machine the extension host ran on at sign-in (thisMachine()): for a loopback API, the only one it is used on */
  machine?: string;
}

/**
 * The machine this extension host runs on, as far as a loopback address goes: 'local', or the remote kind with the
 * remote's authority (e.g. `ssh-remote+build-box`), read from the window's remote workspace folders.
 */
export function thisMachine(): string {
  const remote = vscode.env.remoteName;
  if (!remote) return 'local';
  const authority = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'vscode-remote')?.uri.authority;
  return authority ? `remote:${authority}` : `remote:${remote}`;
}

/**
 * The API a stored session may be used with here: its own, or (a loopback session made on another machine) a name
 * that is no origin, so no request ever matches it and the token is sent nowhere.
 */
function usableApi(s: StoredSession): string {
  return sessionBelongsHere(s.api, s.machine, thisMachine()) ? s.api : `${s.api} on another machine`;
}

/** Fly: Sign Out could not delete the stored token: it may still be in the keyring. */
export class SignOutError extends Error {
  constructor() {
    super(
      vscode.l10n.t(
        "VS Code's secret storage refused to delete your Fly.io token, so it may still be stored. Unlock your system keyring and run Fly: Sign Out again.",
      ),
    );
  }
}

export class SecretStorageError extends Error {
  constructor() {
    super(
      vscode.l10n.t(
        'VS Code could not save your Fly.io token in its secret storage (your system keyring). Nothing was saved. On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, or start VS Code with --password-store=gnome-libsecret, then sign in again.',
      ),
    );
  }
}

/** Runs a sign-in; `cancel` fires when a newer sign-in replaces this one. `api` is the origin the token was checked with. */
export type SignInRunner = (
  method: string | undefined,
  cancel: vscode.CancellationToken,
) => Promise<{ token: string; viewer: Viewer; api: string } | undefined>;

/**
 * The Fly.io account: an AuthenticationProvider (so it shows in the Accounts menu) whose single session is kept in
 * SecretStorage only. `secrets.onDidChange` keeps all windows in step.
 */
export class FlyAuth implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** signed in, out, or the session became invalid */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.sessionsChanged, this.stateChanged];
  private cached: Promise<StoredSession | undefined> | undefined;
  private invalid = false;
  private attempt: vscode.CancellationTokenSource | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
    private readonly runSignIn: SignInRunner,
  ) {
    this.disposables.push(
      secrets.onDidChange(async (e) => {
        if (e.key !== SECRET_KEY) return;
        const before = await this.cached;
        this.cached = undefined;
        const after = await this.load();
        if (before?.id === after?.id) return;
        this.invalid = false;
        this.sessionsChanged.fire({
          added: after ? [toSession(after)] : [],
          removed: before ? [toSession(before)] : [],
          changed: [],
        });
        void this.publish(after);
      }),
      vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Fly.io', this, { supportsMultipleAccounts: false }),
      onDidDecideEnvApi(() => void this.publish()),
    );
  }

  private load(): Promise<StoredSession | undefined> {
    this.cached ??= this.read();
    return this.cached;
  }

  private async read(): Promise<StoredSession | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(SECRET_KEY);
    } catch {
      this.log.warn('Secret storage could not be read; treating as signed out.');
      return undefined;
    }
    if (!raw) return undefined;
    try {
      const s = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof s.token === 'string' && typeof s.email === 'string' && typeof s.id === 'string') {
        const api = typeof s.api === 'string' && s.api ? s.api : LEGACY_API;
        const machine = typeof s.machine === 'string' ? s.machine : undefined;
        return { id: s.id, token: s.token, email: s.email, kind: s.kind === 'macaroon' ? 'macaroon' : 'user', api, machine };
      }
    } catch {
      // fall through: an unreadable entry is as good as none
    }
    this.log.warn('Ignoring an unreadable stored Fly.io session.');
    return undefined;
  }

  /** Publishes the context keys the views and menus use. */
  async publish(session?: StoredSession): Promise<void> {
    const s = session ?? (await this.load());
    // FLY_API_BASE_URL waiting for a yes naming the very API this session was made for: sending the token back to
    // where it came from needs no question.
    const base = resolveApiBaseUrl();
    if (s && !base.ok && base.confirm && apiOrigin(base.confirm) === usableApi(s)) {
      decideEnvApi(base.confirm, true);
      return; // deciding publishes again
    }
    await vscode.commands.executeCommand('setContext', 'flyTokens.signedIn', !!s);
    await vscode.commands.executeCommand('setContext', 'flyTokens.sessionInvalid', !!s && this.invalid);
    this.stateChanged.fire();
  }

  /** The token with the API it belongs to; the client factory sends it to that origin only. */
  async credentials(): Promise<Credentials | undefined> {
    if (this.invalid) return undefined;
    const s = await this.load();
    return s && { token: s.token, api: usableApi(s) };
  }

  /** The API origin the stored session was made for (marked as elsewhere when its loopback is another machine's). */
  async sessionApi(): Promise<string | undefined> {
    const s = await this.load();
    return s && usableApi(s);
  }

  async account(): Promise<{ email: string; kind: Viewer['kind'] } | undefined> {
    const s = await this.load();
    return s && { email: s.email, kind: s.kind };
  }

  get isInvalid(): boolean {
    return this.invalid;
  }

  /** Fly refused the token (401): stop using it and show "sign in again", once. */
  markInvalid(): void {
    if (this.invalid) return;
    this.invalid = true;
    this.log.warn('Fly.io refused the stored auth token (401). Sign in again.');
    void this.publish();
  }

  // AuthenticationProvider

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const s = await this.load();
    return s && !this.invalid ? [toSession(s)] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const s = await this.signIn();
    if (!s) throw new Error(vscode.l10n.t('Sign-in to Fly.io was cancelled.'));
    return toSession(s);
  }

  async removeSession(): Promise<void> {
    await this.signOut();
  }

  /**
   * Runs a sign-in flow and stores the result. A new sign-in replaces one still running (its questions close, its
   * browser flow stops, and whatever it would have produced is dropped): a stuck attempt never blocks a later one.
   */
  signIn(method?: string): Promise<StoredSession | undefined> {
    this.attempt?.cancel();
    const attempt = new vscode.CancellationTokenSource();
    this.attempt = attempt;
    return this.doSignIn(method, attempt.token).finally(() => {
      if (this.attempt === attempt) this.attempt = undefined;
      attempt.dispose();
    });
  }

  private async doSignIn(method: string | undefined, cancel: vscode.CancellationToken): Promise<StoredSession | undefined> {
    const result = await this.runSignIn(method, cancel);
    if (!result || cancel.isCancellationRequested) return undefined;
    const before = await this.load();
    const session: StoredSession = {
      id: `fly-${Date.now().toString(36)}`,
      token: result.token,
      email: result.viewer.email,
      kind: result.viewer.kind,
      api: result.api,
      machine: thisMachine(),
    };
    try {
      await this.secrets.store(SECRET_KEY, JSON.stringify(session));
    } catch {
      throw new SecretStorageError();
    }
    this.cached = Promise.resolve(session);
    this.invalid = false;
    this.log.info(`Signed in to Fly.io as ${session.email}.`);
    this.sessionsChanged.fire({ added: [toSession(session)], removed: before ? [toSession(before)] : [], changed: [] });
    await this.publish(session);
    return session;
  }

  /** Deletes the stored session; throws a SignOutError (and changes nothing) when the secret store refuses. */
  async signOut(): Promise<boolean> {
    const before = await this.load();
    try {
      await this.secrets.delete(SECRET_KEY);
    } catch {
      this.log.warn('Secret storage refused to delete the Fly.io session.');
      throw new SignOutError();
    }
    this.cached = Promise.resolve(undefined);
    this.invalid = false;
    if (before) {
      this.log.info(`Signed out of Fly.io (${before.email}).`);
      this.sessionsChanged.fire({ added: [], removed: [toSession(before)], changed: [] });
    }
    await this.publish(undefined);
    return !!before;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The session VS Code shows in the Accounts menu and hands to any extension that asks for a `flyio` session. It
 * carries no token: the Fly.io auth token can create and revoke tokens for every app of every organization, and it
 * stays with this extension. (This extension reads its token from SecretStorage, never through getSession.)
 */
function toSession(s: StoredSession): vscode.AuthenticationSession {
  return { id: s.id, accessToken: '', account: { id: s.email, label: s.email }, scopes: [] };
}
