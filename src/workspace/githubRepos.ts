// The workspace's GitHub repositories: from VS Code's git extension when it is there, and from each workspace
// folder's git config (the folder or its nearest parent checkout) in any case, so a missing or still-loading git
// extension doesn't hide a repository.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readCheckout } from '../github/gitConfig';
import { parseGitHubRemote, repoKey, repoLabel, type GitHubRepo } from '../github/remotes';
import type { Prompter } from '../ui/prompter';

export interface RepoCandidate {
  repo: GitHubRepo;
  /** the checkout's top folder (file system path) */
  root: string;
  remote: string;
  /** why this remote cannot be used with the GitHub API in effect (another GitHub instance); usable when absent */
  unusable?: string;
}

/** The few members of the git extension's API (v1) used here. */
interface GitApi {
  repositories: { rootUri: vscode.Uri; state: { remotes: { name: string; fetchUrl?: string; pushUrl?: string }[] } }[];
}

async function gitExtensionRepos(): Promise<{ root: string; remotes: { name: string; url: string }[] }[]> {
  try {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    if (!ext) return [];
    const exports = ext.isActive ? ext.exports : await ext.activate();
    const api = exports.getAPI(1);
    return api.repositories.map((r) => ({
      root: r.rootUri.fsPath,
      remotes: r.state.remotes.flatMap((m) => (m.fetchUrl ?? m.pushUrl ? [{ name: m.name, url: (m.fetchUrl ?? m.pushUrl)! }] : [])),
    }));
  } catch {
    return [];
  }
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The workspace's GitHub repositories. A remote is usable only on `repoHost`, the host of the GitHub API in effect
 * (github.com with the default API, the Enterprise host with flyTokens.githubApiBaseUrl): a token for one GitHub
 * instance is never sent about another's repository. Remotes on other GitHub hosts come back marked `unusable`.
 */
export async function findGitHubRepos(repoHost: string, apiUrl: string): Promise<RepoCandidate[]> {
  const enterpriseHosts = [repoHost];
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const checkouts = (await gitExtensionRepos()).filter((c) => folders.some((f) => inside(f, c.root) || inside(c.root, f)));
  for (const folder of folders) {
    const c = await readCheckout(folder);
    if (c) checkouts.push(c);
  }
  const seen = new Set<string>();
  const out: RepoCandidate[] = [];
  for (const c of checkouts) {
    // origin first: it is the repository a checkout is usually pushed to
    const remotes = [...c.remotes].sort((a, b) => Number(b.name === 'origin') - Number(a.name === 'origin'));
    for (const r of remotes) {
      const repo = parseGitHubRemote(r.url, enterpriseHosts);
      const key = repo && `${path.resolve(c.root)}|${repoKey(repo)}`;
      if (!repo || !key || seen.has(key)) continue;
      seen.add(key);
      const unusable =
        repo.host === repoHost.toLowerCase()
          ? undefined
          : vscode.l10n.t('on {0}, but the GitHub API in use ({1}) serves {2}', repo.host, new URL(apiUrl).host, repoHost);
      out.push({ repo, root: path.resolve(c.root), remote: r.name, ...(unusable ? { unusable } : {}) });
    }
  }
  return out;
}

/**
 * One repository: the only one, the only one holding `near` (an app's fly.toml), or the user's pick
 * ('github.repo'). Undefined when cancelled.
 */
export async function chooseRepo(
  prompter: Prompter,
  candidates: RepoCandidate[],
  near: readonly string[] = [],
  title?: string,
): Promise<RepoCandidate | undefined> {
  const usable = candidates.filter((c) => !c.unusable);
  const others = candidates.filter((c) => c.unusable);
  if (usable.length === 0) {
    await prompter.notify('warning', noUsableRepo(others));
    return undefined;
  }
  const holding = usable.filter((c) => near.some((n) => inside(n, c.root)));
  const pool = holding.length > 0 ? holding : usable;
  if (new Set(pool.map((c) => repoKey(c.repo))).size === 1 && others.length === 0) return pool[0];
  const picked = await prompter.pick(
    [
      ...pool.map((c) => ({ label: repoLabel(c.repo), description: `${path.basename(c.root)} · ${c.remote}`, candidate: c })),
      ...others.map((c) => ({ label: fullLabel(c.repo), description: vscode.l10n.t('not usable: {0}', c.unusable!), candidate: c })),
    ],
    { id: 'github.repo', title: title ?? vscode.l10n.t('Which GitHub repository?'), placeholder: vscode.l10n.t('The repository whose Actions get the secret') },
  );
  if (picked?.candidate.unusable) {
    await prompter.notify('warning', vscode.l10n.t('{0} is not usable: {1}. Set flyTokens.githubApiBaseUrl to that instance\'s API to use it.', fullLabel(picked.candidate.repo), picked.candidate.unusable));
    return undefined;
  }
  return picked?.candidate;
}

function fullLabel(r: GitHubRepo): string {
  return `${r.host}/${r.owner}/${r.repo}`;
}

/** Why nothing can be chosen: no GitHub remote at all, or only remotes of another GitHub instance (each named). */
export function noUsableRepo(others: readonly RepoCandidate[]): string {
  if (others.length === 0) return vscode.l10n.t("No GitHub repository found: none of this workspace's git checkouts has a GitHub remote.");
  return vscode.l10n.t(
    'No usable GitHub repository: {0}. Set flyTokens.githubApiBaseUrl to the API of the GitHub instance that holds it.',
    others.map((c) => `${fullLabel(c.repo)} (${c.unusable})`).join('; '),
  );
}
