// Where a deploy token goes on GitHub: repository, secret name, optional environment; and putting it there.
import * as vscode from 'vscode';
import type { Deps } from '../deps';
import type { GitHubClient, PublicKey, SecretScope } from '../github/client';
import { GitHubError } from '../github/errors';
import { repoLabel, secretsPageUrl } from '../github/remotes';
import { secretNameProblem } from '../github/secretName';
import { showError } from '../ui/showError';
import { SettingsError } from '../flyClients';
import type { GitHubAuth } from '../auth/githubAuth';
import { defaultSecretName, resolveGitHubApi } from '../settings/github';
import { chooseRepo, findGitHubRepos, type RepoCandidate } from '../workspace/githubRepos';
import { sameGitHub, type SecretRecord } from './secretRecords';

export interface SecretTarget {
  candidate: RepoCandidate;
  name: string;
  environment?: string;
  client: GitHubClient;
  /** fetched before any token is minted, so access problems show up while nothing has changed yet */
  key: PublicKey;
}

function scopeOf(t: { candidate: RepoCandidate; environment?: string }): SecretScope {
  return { repo: t.candidate.repo, environment: t.environment };
}

/** "acme/web FLY_API_TOKEN" or "acme/web FLY_API_TOKEN (environment production)" */
export function describeTarget(t: { candidate: RepoCandidate; name: string; environment?: string }): string {
  const where = `${repoLabel(t.candidate.repo)}/${t.name}`;
  return t.environment ? vscode.l10n.t('{0} (environment {1})', where, t.environment) : where;
}

export function recordOf(t: SecretTarget): SecretRecord {
  const { host, owner, repo } = t.candidate.repo;
  return { host, owner, repo, name: t.name, environment: t.environment, root: t.candidate.root, apiUrl: t.client.baseUrl };
}

export function refuseUntrusted(deps: Deps): boolean {
  if (vscode.workspace.isTrusted) return false;
  void deps.prompter().notify(
    'warning',
    vscode.l10n.t('GitHub secrets are not set in Restricted Mode: the repository comes from this workspace\'s git remotes. Trust the workspace first.'),
  );
  return true;
}

/** GitHub failures become one message; a refused token is forgotten so the next try asks again. */
export async function reportGitHubError(deps: Deps, gh: GitHubAuth, e: unknown, context: string): Promise<void> {
  if (e instanceof GitHubError && e.kind === 'unauthorized') await gh.rejected();
  await showError(deps, e, context);
}

/**
 * Asks repository ('github.repo', when several), GitHub sign-in, secret name ('github.secretName') and environment
 * ('github.environment', when the repository has any), then fetches the public key. Undefined when cancelled or
 * failed (the failure is reported).
 */
export async function askSecretTarget(
  deps: Deps,
  gh: GitHubAuth,
  near: readonly string[],
  defaultName?: string,
): Promise<SecretTarget | undefined> {
  const prompter = deps.prompter();
  try {
    const api = resolveGitHubApi();
    if (!api.ok) throw new SettingsError(api.message);
    const candidates = await findGitHubRepos(api.repoHost, api.url);
    const candidate = await chooseRepo(prompter, candidates, near);
    if (!candidate) return undefined;
    const client = await gh.client(prompter);
    if (!client) return undefined;
    const title = vscode.l10n.t('GitHub Actions secret in {0}', repoLabel(candidate.repo));
    const name = await prompter.input({
      id: 'github.secretName',
      title,
      prompt: vscode.l10n.t('Secret name: your workflow reads it as ${{ secrets.NAME }}. flyctl expects FLY_API_TOKEN.'),
      value: defaultName ?? defaultSecretName(),
      validate: (v) => secretNameProblem(v.trim()),
    });
    if (name === undefined) return undefined;
    const environments = await client.environments(candidate.repo);
    let environment: string | undefined;
    if (environments.length > 0) {
      const repoItem = { label: vscode.l10n.t('Repository secret'), description: vscode.l10n.t('every workflow of the repository can read it'), env: undefined as string | undefined };
      const picked = await prompter.pick(
        [
          repoItem,
          ...environments.map((e) => ({ label: e, description: vscode.l10n.t('environment secret: only jobs using this environment'), env: e })),
        ],
        { id: 'github.environment', title, placeholder: vscode.l10n.t('A repository secret, or an environment\'s?') },
      );
      if (!picked) return undefined;
      environment = picked.env;
    }
    const key = await client.publicKey({ repo: candidate.repo, environment });
    return { candidate, name: name.trim().toUpperCase(), environment, client, key };
  } catch (e) {
    await reportGitHubError(deps, gh, e, vscode.l10n.t('Could not prepare the GitHub secret'));
    return undefined;
  }
}

/** The target a rotation already knows from a record, with a fresh session and public key. */
export async function knownSecretTarget(deps: Deps, gh: GitHubAuth, r: SecretRecord): Promise<SecretTarget | undefined> {
  // Before any GitHub token is used: the record names a repository on the GitHub it was set on, and no other.
  const api = resolveGitHubApi();
  if (api.ok && !sameGitHub(r, api)) {
    const where = `${repoLabel({ host: r.host, owner: r.owner, repo: r.repo })}/${r.name}`;
    await deps.prompter().notify(
      'error',
      r.apiUrl
        ? vscode.l10n.t(
          'Rotation stopped before anything changed: the secret {0} was set through the GitHub API at {1}, but the GitHub API URL setting now points to {2}. Set it back, or rotate again and choose "Set a GitHub secret…" to pick the repository.',
          where,
          r.apiUrl,
          api.url,
        )
        : vscode.l10n.t(
          'Rotation stopped before anything changed: it is not known which GitHub the secret {0} was set on, and the GitHub API URL setting points to {1}. Rotate again and choose "Set a GitHub secret…" to pick the repository.',
          where,
          api.url,
        ),
    );
    return undefined;
  }
  try {
    const client = await gh.client(deps.prompter());
    if (!client) return undefined;
    const candidate: RepoCandidate = { repo: { host: r.host, owner: r.owner, repo: r.repo }, root: r.root, remote: 'origin' };
    const key = await client.publicKey({ repo: candidate.repo, environment: r.environment });
    return { candidate, name: r.name, environment: r.environment, client, key };
  } catch (e) {
    await reportGitHubError(deps, gh, e, vscode.l10n.t('Could not prepare the GitHub secret'));
    return undefined;
  }
}

/** Seals and PUTs the value. The sealing code is loaded only now (its own file in dist/). */
export async function putSecret(t: SecretTarget, value: string): Promise<'created' | 'updated'> {
  const { sealSecret } = await import('../github/seal');
  return t.client.putSecret(scopeOf(t), t.name, sealSecret(value, t.key.key), t.key.keyId);
}

/** The repository's secrets page, and the one origin it may be on: the web host of the GitHub API in use. */
export function secretsPage(t: { candidate: RepoCandidate; environment?: string }): { url: string; origins: string[] } {
  const api = resolveGitHubApi();
  return { url: secretsPageUrl(t.candidate.repo, t.environment), origins: api.ok ? [`https://${api.repoHost}`] : [] };
}
