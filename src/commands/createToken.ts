import * as vscode from 'vscode';
import { parseExpiry } from '../fly/duration';
import { RateLimitedError } from '../fly/errors';
import type { AppRef, CreatedToken } from '../fly/types';
import { readSettings } from '../config';
import { AppNode } from '../tree/nodes';
import { byNearness } from '../workspace/flyFiles';
import { showError } from '../ui/showError';
import type { Deps } from './deps';
import { registerMintCommand } from './mintGuard';

const COMMAND = 'flyTokens.createDeployToken';

interface ExpiryItem extends vscode.QuickPickItem {
  value: string | undefined;
}

/** What a finished create hands to "Set as GitHub Actions Secret" (the token stays in memory only). */
export type OnSetAsSecret = (created: CreatedToken, app: AppRef) => Promise<void>;

export function registerCreateToken(deps: Deps, onSetAsSecret?: OnSetAsSecret): vscode.Disposable {
  return registerMintCommand(deps, COMMAND, (arg) => createDeployToken(deps, arg, onSetAsSecret));
}

/** Offers sign-in when needed; false when the user is (still) signed out. */
export async function ensureSignedIn(deps: Deps, why = vscode.l10n.t('Sign in to Fly.io to create deploy tokens.')): Promise<boolean> {
  if ((await deps.auth.account()) && !deps.auth.isInvalid) return true;
  const signIn = vscode.l10n.t('Sign In');
  const choice = await deps.prompter().notify('info', why, signIn);
  return choice === signIn && !!(await deps.auth.signIn().catch((e: unknown) => showError(deps, e)));
}

/** The app a command is for: its argument (a row or a name), else a question. */
export async function appFromArg(deps: Deps, arg: AppNode | string | undefined): Promise<string | undefined> {
  return arg instanceof AppNode ? arg.appName : typeof arg === 'string' ? arg : chooseApp(deps);
}

export interface TokenDetails {
  name: string;
  /** Go duration */
  expiry: string;
}

/** Asks the new token's name and lifetime ('create.name', 'create.expiry', 'create.customExpiry'). */
export async function askTokenDetails(deps: Deps, appName: string): Promise<TokenDetails | undefined> {
  const settings = readSettings();
  const account = await deps.auth.account();
  const title = vscode.l10n.t('Create a deploy token for {0}', appName);
  const name = await deps.prompter().input({
    id: 'create.name',
    title,
    step: 1,
    totalSteps: 2,
    prompt: vscode.l10n.t('Token name: say where it will be used, e.g. "github-actions". Fly shows it in token lists.'),
    value: defaultName(settings.defaultTokenName, appName, account?.email),
    validate: validateName,
  });
  if (name === undefined) return undefined;
  const expiry = await chooseExpiry(deps, { title, defaultExpiry: settings.defaultExpiry });
  return expiry ? { name: name.trim(), expiry } : undefined;
}

/**
 * Mints a deploy token and shows it in the view. Throws the client's error (never retried; see mayHaveSucceeded).
 * The token header is returned to the caller only: nothing here logs, stores or copies it.
 */
export async function mintDeployToken(deps: Deps, appName: string, details: TokenDetails, progressTitle?: string): Promise<{ created: CreatedToken; app: AppRef }> {
  let app: AppRef | undefined = deps.tree.knownApp(appName);
  const created = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: progressTitle ?? vscode.l10n.t('Creating a deploy token for {0}…', appName) },
    async () => {
      const client = deps.client();
      app ??= await client.getApp(appName);
      return client.createDeployToken({ app, name: details.name, expiry: details.expiry });
    },
  );
  const account = await deps.auth.account();
  deps.log.info(`Created deploy token ${created.id} ("${created.name}") for ${appName}, expires ${created.expiresAt}.`);
  deps.tree.addCreated(app!, created, account?.email ?? '');
  return { created, app: app! };
}

async function createDeployToken(deps: Deps, arg: AppNode | string | undefined, onSetAsSecret: OnSetAsSecret | undefined): Promise<void> {
  const prompter = deps.prompter();
  if (!(await ensureSignedIn(deps))) return;
  const appName = await appFromArg(deps, arg);
  if (!appName) return;
  const details = await askTokenDetails(deps, appName);
  if (!details) return;

  const minted = await mintOrReport(deps, appName, details);
  if (!minted) return;
  const { created, app } = minted;
  const header = created.tokenHeader;
  await vscode.env.clipboard.writeText(header);
  const copyAgain = vscode.l10n.t('Copy Again');
  const setSecret = vscode.l10n.t('Set as GitHub Actions Secret');
  const actions = onSetAsSecret && vscode.workspace.isTrusted ? [copyAgain, setSecret] : [copyAgain];
  const message = vscode.l10n.t(
    'Deploy token "{0}" for {1} copied to the clipboard. Fly shows it only this once: paste it where it is needed now, e.g. as FLY_API_TOKEN in your CI secrets.',
    created.name,
    appName,
  );
  // The token stays in memory only while this notification is open.
  for (;;) {
    const choice = await prompter.notify('info', message, ...actions);
    if (choice === copyAgain) await vscode.env.clipboard.writeText(header);
    else if (choice === setSecret && onSetAsSecret) return onSetAsSecret(created, app);
    else return;
  }
}

/** Mints, or tells the user why it could not; undefined when no token was made (or may have been, see the message). */
export async function mintOrReport(deps: Deps, appName: string, details: TokenDetails): Promise<{ created: CreatedToken; app: AppRef } | undefined> {
  try {
    return await mintDeployToken(deps, appName, details);
  } catch (e) {
    await reportCreateFailure(deps, e, appName, details.name);
    return undefined;
  }
}

async function reportCreateFailure(deps: Deps, e: unknown, appName: string, name: string): Promise<void> {
  if (e instanceof Error && 'mayHaveSucceeded' in e && e.mayHaveSucceeded) {
    deps.log.warn(`Create for ${appName} failed after the request was sent: ${e.message}`);
    await deps.tree.refresh();
    await deps.prompter().notify(
      'warning',
      vscode.l10n.t(
        'Fly.io did not confirm the new token ({0}). It may have been created anyway, and it was not retried so that no second token is made. The list was refreshed: if "{1}" is there, it exists but its secret is lost — revoke it and create another.',
        e.message,
        name,
      ),
    );
    return;
  }
  if (e instanceof RateLimitedError) {
    await deps.prompter().notify('warning', vscode.l10n.t('No token was created: {0}', e.message));
    return;
  }
  await showError(deps, e, vscode.l10n.t('Could not create a deploy token for {0}', appName));
}

export async function chooseApp(deps: Deps): Promise<string | undefined> {
  const apps = deps.tree.workspaceApps();
  if (apps.length === 1) return apps[0].name;
  if (apps.length === 0) {
    const typed = await deps.prompter().input({
      id: 'create.appName',
      title: vscode.l10n.t('Create a deploy token'),
      prompt: vscode.l10n.t('No fly.toml in this workspace names an app. Type the Fly app name (it is checked with Fly.io).'),
      validate: (v) => (/^[a-z0-9][a-z0-9-]*$/.test(v.trim()) ? undefined : vscode.l10n.t('Fly app names use lowercase letters, digits and dashes.')),
    });
    return typed?.trim() || undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const files = byNearness(apps.flatMap((a) => a.files), active);
  const order = [...new Set(files.map((f) => (f.result.ok ? f.result.app : '')))].filter(Boolean);
  const items = order.map((name) => {
    const a = apps.find((x) => x.name === name)!;
    const org = deps.tree.knownApp(name)?.organization.slug;
    return { label: name, description: [a.files.map((f) => f.relativePath).join(', '), org].filter(Boolean).join(' · ') };
  });
  const picked = await deps.prompter().pick(items, {
    id: 'create.app',
    title: vscode.l10n.t('Create a deploy token'),
    placeholder: vscode.l10n.t('Which app is the token for?'),
  });
  return picked?.label;
}

export interface ExpiryQuestion {
  title: string;
  defaultExpiry: string;
  /** prompt ids; create's by default */
  ids?: { pick: string; custom: string };
  /** a first choice, preselected (rotation: "Same as before") */
  first?: { label: string; value: string; description?: string };
  step?: number;
  totalSteps?: number;
}

/** Asks a lifetime; returns Go's canonical duration, or undefined when cancelled. */
export async function chooseExpiry(deps: Deps, q: ExpiryQuestion): Promise<string | undefined> {
  const ids = q.ids ?? { pick: 'create.expiry', custom: 'create.customExpiry' };
  const step = q.step ?? 2;
  const totalSteps = q.totalSteps ?? 2;
  const presets: [string, string][] = [
    ['7d', vscode.l10n.t('7 days')],
    ['30d', vscode.l10n.t('30 days')],
    ['90d', vscode.l10n.t('90 days')],
    ['1y', vscode.l10n.t('1 year')],
    ['20y', vscode.l10n.t('20 years')],
  ];
  const defaultGo = q.first ? goOf(q.first.value) : goOf(q.defaultExpiry);
  const items: ExpiryItem[] = presets.map(([value, label]) => ({
    label,
    value,
    description: value === '20y' ? vscode.l10n.t("flyctl's default") : undefined,
    picked: !q.first && goOf(value) === defaultGo,
  }));
  if (q.first) items.unshift({ ...q.first, picked: true });
  else if (!items.some((i) => i.picked)) items.unshift({ label: q.defaultExpiry, value: q.defaultExpiry, description: vscode.l10n.t('your default'), picked: true });
  items.push({ label: vscode.l10n.t('Custom…'), value: undefined, description: vscode.l10n.t('e.g. 45d, 6w, 720h, 1h30m') });
  const picked = await deps.prompter().pick(items, { id: ids.pick, title: q.title, step, totalSteps, placeholder: vscode.l10n.t('How long should the token work?') });
  if (!picked) return undefined;
  if (picked.value !== undefined) return goOf(picked.value);
  const custom = await deps.prompter().input({
    id: ids.custom,
    title: q.title,
    step,
    totalSteps,
    prompt: vscode.l10n.t('Token lifetime, e.g. 45d, 6w, 1y, 720h or 1h30m'),
    validate: (v) => {
      const r = parseExpiry(v);
      return r.ok ? undefined : r.message;
    },
  });
  return custom === undefined ? undefined : goOf(custom);
}

function goOf(input: string): string | undefined {
  const r = parseExpiry(input);
  return r.ok ? r.go : undefined;
}

function validateName(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return vscode.l10n.t('Give the token a name, so you can tell it apart later.');
  if (v.length > 100) return vscode.l10n.t('Keep the name under 100 characters ({0} now).', v.length);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) return vscode.l10n.t('The name cannot contain control characters.');
  return undefined;
}

export function defaultName(template: string, app: string, email: string | undefined, now = new Date()): string {
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const user = email?.split('@')[0] ?? '';
  return template.replace(/\{app\}/g, app).replace(/\{date\}/g, date).replace(/\{user\}/g, user).trim();
}
