// The questions every minting command asks: sign-in, which app, the token's name and lifetime.
import * as vscode from 'vscode';
import { readSettings } from '../settings/fly';
import type { Deps } from '../deps';
import { parseExpiry } from '../fly/duration';
import { localDay } from '../ui/dates';
import { showError } from '../ui/showError';
import { byNearness } from '../workspace/flyFiles';
import { hasHiddenCharacters, visibleText } from '../ui/visibleText';

interface ExpiryItem extends vscode.QuickPickItem {
  value: string | undefined;
}

/** Offers sign-in when needed; false when the user is (still) signed out. */
export async function ensureSignedIn(deps: Deps, why = vscode.l10n.t('Sign in to Fly.io to create deploy tokens.')): Promise<boolean> {
  if ((await deps.auth.account()) && !deps.auth.isInvalid) return true;
  const signIn = vscode.l10n.t('Sign In');
  const choice = await deps.prompter().notify('info', why, signIn);
  return choice === signIn && !!(await deps.auth.signIn().catch((e: unknown) => showError(deps, e)));
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

export async function chooseApp(deps: Deps): Promise<string | undefined> {
  const apps = deps.model.workspaceApps();
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
    const org = deps.model.knownApp(name)?.organization.slug;
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

export function validateName(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return vscode.l10n.t('Give the token a name, so you can tell it apart later.');
  if (v.length > 100) return vscode.l10n.t('Keep the name under 100 characters ({0} now).', v.length);
  if (hasHiddenCharacters(v)) {
    return vscode.l10n.t('The name cannot contain control, invisible or text-direction characters (shown here as {0}).', visibleText(v));
  }
  return undefined;
}

export function defaultName(template: string, app: string, email: string | undefined, now = new Date()): string {
  const date = localDay(now);
  const user = email?.split('@')[0] ?? '';
  return template.replace(/\{app\}/g, app).replace(/\{date\}/g, date).replace(/\{user\}/g, user).trim();
}
