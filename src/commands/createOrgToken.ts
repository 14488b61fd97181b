// "Fly: Create Organization Deploy Token": flyctl's `fly tokens create org` — a token that can deploy and manage
// every app of an organization. Asks the organization (the workspace's first), name and lifetime, where it goes
// (clipboard or a GitHub Actions secret), then confirms plainly what such a token can do before minting it.
import * as vscode from 'vscode';
import type { GitHubAuth } from '../auth/githubAuth';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import type { Organization } from '../fly/types';
import { copyToken } from '../minting/clipboard';
import { mint, reportMintFailure } from '../minting/mint';
import { appFilePaths, confirmSecretSet, placeInSecret } from '../minting/place';
import { chooseExpiry, ensureSignedIn, validateName } from '../minting/questions';
import { askSecretTarget, refuseUntrusted, type SecretTarget } from '../minting/secretTarget';
import { readSettings } from '../settings/fly';
import { OrgNode } from '../tree/nodes';
import { showError } from '../ui/showError';
import { failureWords } from './githubSecret';
import { registerMintCommand } from './mintGuard';

/** flyctl's default name for `tokens create org`. */
export const ORG_TOKEN_DEFAULT_NAME = 'Org deploy token';

export function registerCreateOrgToken(deps: Deps, gh: GitHubAuth): vscode.Disposable {
  return registerMintCommand(deps, Command.createOrgDeployToken, (arg) => createOrgToken(deps, gh, arg));
}

function orgArg(arg: unknown): Organization | undefined {
  if (arg instanceof OrgNode) return arg.organization;
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as Partial<Organization>;
    if (typeof o.id === 'string' && typeof o.slug === 'string' && typeof o.name === 'string') return { id: o.id, slug: o.slug, name: o.name };
  }
  return undefined;
}

/** The workspace's apps in an organization (as the model knows them). */
function workspaceAppsIn(deps: Deps, slug: string): string[] {
  return deps.model
    .workspaceApps()
    .map((a) => a.name)
    .filter((name) => deps.model.knownApp(name)?.organization.slug === slug);
}

/** Organizations the model knows, the workspace's first; "Other organization…" asks Fly for all of them. */
async function chooseOrganization(deps: Deps): Promise<Organization | undefined> {
  const known = new Map<string, Organization>();
  for (const a of deps.model.workspaceApps()) {
    const org = deps.model.knownApp(a.name)?.organization;
    if (org) known.set(org.slug, org);
  }
  const fromWorkspace = known.size;
  for (const o of deps.model.listing.orgs.values()) if (o.organization.id) known.set(o.organization.slug, o.organization);
  const other = vscode.l10n.t('Other organization…');
  const title = vscode.l10n.t('Create an organization deploy token');
  let orgs = [...known.values()];
  if (orgs.length > 0) {
    const items = [
      ...orgs.map((o, i) => ({
        label: o.slug,
        description: [o.name !== o.slug ? o.name : undefined, i < fromWorkspace ? vscode.l10n.t('apps in this workspace') : undefined]
          .filter(Boolean)
          .join(' · '),
        org: o,
      })),
      { label: other, description: vscode.l10n.t('list all your organizations'), org: undefined },
    ];
    const picked = await deps.prompter().pick(items, { id: 'createOrg.org', title, placeholder: vscode.l10n.t('Which organization is the token for?') });
    if (!picked) return undefined;
    if (picked.org) return picked.org;
  }
  try {
    orgs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing your organizations…') }, () =>
      deps.client().listOrganizations(),
    );
  } catch (e) {
    await showError(deps, e, vscode.l10n.t('Could not list your organizations'));
    return undefined;
  }
  if (orgs.length === 0) {
    await deps.prompter().notify('info', vscode.l10n.t('Fly.io lists no organization for your account.'));
    return undefined;
  }
  const picked = await deps.prompter().pick(
    orgs.map((o) => ({ label: o.slug, description: o.name !== o.slug ? o.name : undefined, org: o })),
    { id: 'createOrg.allOrgs', title, placeholder: vscode.l10n.t('Which organization is the token for?') },
  );
  return picked?.org;
}

async function createOrgToken(deps: Deps, gh: GitHubAuth, arg: unknown): Promise<void> {
  const prompter = deps.prompter();
  if (!(await ensureSignedIn(deps))) return;
  const org = orgArg(arg) ?? (await chooseOrganization(deps));
  if (!org) return;
  const title = vscode.l10n.t('Organization deploy token for {0}', org.slug);
  const name = await prompter.input({
    id: 'createOrg.name',
    title,
    step: 1,
    totalSteps: 2,
    prompt: vscode.l10n.t('Token name: say where it will be used, e.g. "github-actions". Fly shows it in token lists.'),
    value: ORG_TOKEN_DEFAULT_NAME,
    validate: validateName,
  });
  if (name === undefined) return;
  const expiry = await chooseExpiry(deps, {
    title,
    defaultExpiry: readSettings().defaultExpiry,
    ids: { pick: 'createOrg.expiry', custom: 'createOrg.customExpiry' },
  });
  if (!expiry) return;
  const details = { name: name.trim(), expiry };

  const apps = workspaceAppsIn(deps, org.slug);
  let target: SecretTarget | undefined;
  if (vscode.workspace.isTrusted) {
    const clipboard = vscode.l10n.t('Copy to the clipboard');
    const secret = vscode.l10n.t('Set as a GitHub Actions secret…');
    const where = await prompter.pick(
      [
        { label: clipboard, description: vscode.l10n.t('paste it where it is needed') },
        { label: secret, description: vscode.l10n.t('sealed and sent to GitHub; never on the clipboard') },
      ],
      { id: 'createOrg.destination', title, placeholder: vscode.l10n.t('Where should the token go?') },
    );
    if (!where) return;
    if (where.label === secret) {
      if (refuseUntrusted(deps)) return;
      target = await askSecretTarget(deps, gh, apps.flatMap((a) => appFilePaths(deps, a)));
      if (!target) return;
    }
  }

  const detail = [
    apps.length === 0
      ? vscode.l10n.t('It works for every app of {0}, including apps created later.', org.slug)
      : apps.length === 1
        ? vscode.l10n.t('It works for every app of {0} — not only {1}, the one in this workspace — including apps created later.', org.slug, apps[0])
        : vscode.l10n.t('It works for every app of {0} — {1} in this workspace and any others — including apps created later.', org.slug, apps.join(', ')),
    vscode.l10n.t('Whoever holds it can deploy those apps, change their secrets and remove their machines.'),
    vscode.l10n.t('If the token is for one app, an app deploy token (Fly: Create Deploy Token) is safer.'),
  ].join('\n\n');
  const ok = await prompter.confirm(
    'createOrg.confirm',
    vscode.l10n.t('Create a token that can deploy and manage every app in {0}?', org.slug),
    detail,
    vscode.l10n.t('Create Organization Token'),
  );
  if (!ok) return;

  const outcome = await mint(deps, { kind: 'organization', organization: org }, details);
  if (!outcome.ok) return reportMintFailure(deps, outcome, details, org.slug);
  const { created } = outcome;
  if (target) {
    const placed = await placeInSecret(deps, gh, target, created, failureWords(target, created));
    if (placed) await confirmSecretSet(deps, target, created, placed);
    return;
  }
  const header = created.tokenHeader;
  const clearing = await copyToken(header);
  const copyAgain = vscode.l10n.t('Copy Again');
  const message = [
    vscode.l10n.t(
      'Organization deploy token "{0}" for {1} copied to the clipboard. It can deploy every app of {1}; Fly shows it only this once.',
      created.name,
      org.slug,
    ),
    clearing,
  ]
    .filter(Boolean)
    .join(' ');
  // The token stays in memory only while this notification is open.
  for (;;) {
    const choice = await prompter.notify('info', message, copyAgain);
    if (choice !== copyAgain) return;
    await copyToken(header);
  }
}
