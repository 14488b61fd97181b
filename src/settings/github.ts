// GitHub settings: the API URL (user settings only, like the Fly one) and the default secret name.
import * as vscode from 'vscode';
import { DEFAULT_GITHUB_API } from '../github/client';
import { secretNameProblem } from '../github/secretName';
import { isLoopbackHost, isSafeApiUrl } from '../http/loopback';

export type GitHubApi =
  | {
      ok: true;
      url: string;
      isDefault: boolean;
      enterpriseHost?: string;
      /** the host whose repositories this API serves: github.com, or the Enterprise host */
      repoHost: string;
    }
  | { ok: false; message: string };

/**
 * Read from the user's (application) settings only: a workspace must never redirect a GitHub token elsewhere.
 * https anywhere; plain http only to a loopback address.
 */
export function resolveGitHubApi(): GitHubApi {
  const raw = vscode.workspace.getConfiguration('flyTokens').inspect<string>('githubApiBaseUrl')?.globalValue?.trim();
  if (!raw) return { ok: true, url: DEFAULT_GITHUB_API, isDefault: true, repoHost: 'github.com' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: vscode.l10n.t('The GitHub API URL setting "{0}" is not a URL. Use e.g. https://github.example.com/api/v3, or leave it empty for github.com.', raw) };
  }
  if (url.username || url.password) return { ok: false, message: vscode.l10n.t('The GitHub API URL setting must not contain a user name or password.') };
  if (!isSafeApiUrl(url)) {
    return { ok: false, message: vscode.l10n.t('Refusing the GitHub API URL "{0}": use https (plain http only for 127.0.0.1, localhost or [::1]).', url.origin) };
  }
  const clean = url.toString().replace(/\/+$/, '');
  if (clean === DEFAULT_GITHUB_API) return { ok: true, url: clean, isDefault: true, repoHost: 'github.com' };
  // GitHub Enterprise Server serves its API at https://HOST/api/v3, and its repositories at https://HOST/.
  // A loopback API is a local stand-in for github.com (a proxy or a test server).
  const enterpriseHost = isLoopbackHost(url.hostname) ? undefined : url.hostname.replace(/^api\./, '').toLowerCase();
  return { ok: true, url: clean, isDefault: false, enterpriseHost, repoHost: enterpriseHost ?? 'github.com' };
}

export function defaultSecretName(): string {
  const v = vscode.workspace.getConfiguration('flyTokens').get<string>('githubSecretName')?.trim() ?? '';
  return v && !secretNameProblem(v) ? v.toUpperCase() : 'FLY_API_TOKEN';
}
