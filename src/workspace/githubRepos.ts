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

export async function findGitHubRepos(enterpriseHosts: readonly string[]): Promise<RepoCandidate[]> {
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
      out.push({ repo, root: path.resolve(c.root), remote: r.name });
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
  const holding = candidates.filter((c) => near.some((n) => inside(n, c.root)));
  const pool = holding.length > 0 ? holding : candidates;
  if (new Set(pool.map((c) => repoKey(c.repo))).size === 1) return pool[0];
  const picked = await prompter.pick(
    pool.map((c) => ({ label: repoLabel(c.repo), description: `${path.basename(c.root)} · ${c.remote}`, candidate: c })),
    { id: 'github.repo', title: title ?? vscode.l10n.t('Which GitHub repository?'), placeholder: vscode.l10n.t('The repository whose Actions get the secret') },
  );
  return picked?.candidate;
}
