import * as vscode from 'vscode';
import type { Viewer } from '../fly/types';
import type { Log } from '../log';

export const PROVIDER_ID = 'flyio';
const SECRET_KEY = 'flyTokens.session';

/** What lives in SecretStorage (and nowhere else): the parent auth token and who it belongs to. */
interface StoredSession {
  id: string;
  token: string;
  email: string;
  kind: Viewer['kind'];
}

export class SecretStorageError extends Error {
  constructor() {
    super(
      vscode.l10n.t(
        "VS Code could not save your Fly.io token in its secret storage (your system keyring). Nothing was saved. On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, or start VS Code with --password-store=gnome-libsecret, then sign in again.",
      ),
    );
  }
}

export type SignInRunner = (method?: string) => Promise<{ token: string; viewer: Viewer } | undefined>;

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
  private signingIn: Promise<StoredSession | undefined> | undefined;

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
        this.publish(after);
      }),
      vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Fly.io', this, { supportsMultipleAccounts: false }),
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
        return { id: s.id, token: s.token, email: s.email, kind: s.kind === 'macaroon' ? 'macaroon' : 'user' };
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
    await vscode.commands.executeCommand('setContext', 'flyTokens.signedIn', !!s);
    await vscode.commands.executeCommand('setContext', 'flyTokens.sessionInvalid', !!s && this.invalid);
    this.stateChanged.fire();
  }

  async token(): Promise<string | undefined> {
    if (this.invalid) return undefined;
    return (await this.load())?.token;
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

  /** Runs a sign-in flow (one at a time) and stores the result. */
  signIn(method?: string): Promise<StoredSession | undefined> {
    this.signingIn ??= this.doSignIn(method).finally(() => (this.signingIn = undefined));
    return this.signingIn;
  }

  private async doSignIn(method?: string): Promise<StoredSession | undefined> {
    const result = await this.runSignIn(method);
    if (!result) return undefined;
    const before = await this.load();
    const session: StoredSession = { id: `fly-${Date.now().toString(36)}`, token: result.token, email: result.viewer.email, kind: result.viewer.kind };
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

  async signOut(): Promise<boolean> {
    const before = await this.load();
    try {
      await this.secrets.delete(SECRET_KEY);
    } catch {
      this.log.warn('Secret storage refused to delete the Fly.io session.');
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

function toSession(s: StoredSession): vscode.AuthenticationSession {
  return { id: s.id, accessToken: s.token, account: { id: s.email, label: s.email }, scopes: [] };
}
