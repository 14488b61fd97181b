// Which GitHub repository a git remote URL points at. Pure: no `vscode`, no I/O.

export interface GitHubRepo {
  /** lower-case host name: github.com, or a GitHub Enterprise host */
  host: string;
  owner: string;
  repo: string;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Hosts taken for GitHub: github.com, GitHub Enterprise Cloud's `*.ghe.com`, and the hosts the caller knows to be
 * GitHub Enterprise Server (from the GitHub API URL setting). Anything else (GitLab, Bitbucket…) is not GitHub.
 */
export function isGitHubHost(host: string, enterpriseHosts: readonly string[] = []): boolean {
  const h = host.toLowerCase();
  return h === 'github.com' || h.endsWith('.ghe.com') || enterpriseHosts.some((e) => e.toLowerCase() === h);
}

/**
 * Parses https://, http://, git://, ssh://, git+ssh:// and scp-like (`git@host:owner/repo.git`) remotes.
 * User info in the URL (possibly a token) is dropped and never returned.
 */
export function parseGitHubRemote(remote: string, enterpriseHosts: readonly string[] = []): GitHubRepo | undefined {
  const text = remote.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (!/^(https?|git|ssh|git\+ssh|ssh\+git):$/i.test(url.protocol)) return undefined;
    host = url.hostname;
    path = decodeURIComponent(url.pathname);
  } else if (scp) {
    host = scp[1];
    path = scp[2];
  } else {
    return undefined;
  }
  host = host.toLowerCase().replace(/^www\./, '');
  if (!isGitHubHost(host, enterpriseHosts)) return undefined;
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length !== 2) return undefined;
  const owner = parts[0];
  const repo = parts[1].replace(/\.git$/i, '');
  if (!OWNER.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') return undefined;
  return { host, owner, repo };
}

export function repoKey(r: GitHubRepo): string {
  return `${r.host}/${r.owner}/${r.repo}`.toLowerCase();
}

export function repoLabel(r: GitHubRepo): string {
  return r.host === 'github.com' ? `${r.owner}/${r.repo}` : `${r.host}/${r.owner}/${r.repo}`;
}

/** The repository's Actions secrets page on its own host. */
export function secretsPageUrl(r: GitHubRepo, environment?: string): string {
  const base = `https://${r.host}/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}/settings`;
  return environment ? `${base}/environments` : `${base}/secrets/actions`;
}
