// A small GitHub REST client: the calls that put an Actions secret in place, and nothing else.
import { GitHubError, githubDetail } from './errors';
import { repoLabel, type GitHubRepo } from './remotes';
import { isRecord } from '../http/json';
import { lazyFetch } from '../http/lazyFetch';
import { NO_REDIRECTS, redirectHost } from '../http/redirect';

export const DEFAULT_GITHUB_API = 'https://api.github.com';
const TIMEOUT_MS = 30_000;

export interface GitHubFetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Always 'manual': a redirect is answered, never followed (see http/redirect.ts). */
  redirect: typeof NO_REDIRECTS;
}
export interface GitHubFetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type GitHubFetch = (url: string, init: GitHubFetchInit) => Promise<GitHubFetchResponse>;

export interface GitHubClientOptions {
  token: string;
  userAgent: string;
  /** default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3 */
  baseUrl?: string;
  fetch?: GitHubFetch;
  /** until the whole answer has arrived (headers and body); default 30 s */
  timeoutMs?: number;
  /** one line per request for the log: method, path, status; never headers or bodies */
  onRequest?: (line: string) => void;
}

export interface PublicKey {
  keyId: string;
  /** base64 of the 32-byte Curve25519 public key */
  key: string;
}

export interface SecretScope {
  repo: GitHubRepo;
  /** an environment's secret instead of the repository's */
  environment?: string;
}

type Json = Record<string, unknown>;

/** An answer read in full, within the request's timeout. */
interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export class GitHubClient {
  readonly baseUrl: string;
  private readonly fetch: GitHubFetch;

  constructor(private readonly options: GitHubClientOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_GITHUB_API).replace(/\/+$/, '');
    this.fetch = options.fetch ?? (lazyFetch);
  }

  /** The signed-in user: checks a token before it is stored. */
  async user(): Promise<{ login: string }> {
    const body = await this.json('GET', '/user', { what: 'your GitHub account' });
    return { login: str(body, 'login') };
  }

  async repository(repo: GitHubRepo): Promise<{ defaultBranch: string }> {
    const body = await this.json('GET', repoPath(repo), { repo });
    return { defaultBranch: str(body, 'default_branch') };
  }

  async environments(repo: GitHubRepo): Promise<string[]> {
    const names: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const body = await this.json('GET', `${repoPath(repo)}/environments?per_page=100&page=${page}`, { repo });
      const list = body.environments;
      if (!Array.isArray(list)) throw shape('environments');
      for (const e of list) if (isRecord(e) && typeof e.name === 'string') names.push(e.name);
      const total = typeof body.total_count === 'number' ? body.total_count : names.length;
      if (list.length === 0 || names.length >= total) break;
    }
    return names;
  }

  async publicKey(scope: SecretScope): Promise<PublicKey> {
    const body = await this.json('GET', `${secretsPath(scope)}/public-key`, { repo: scope.repo, environment: scope.environment });
    return { keyId: str(body, 'key_id'), key: str(body, 'key') };
  }

  /**
   * Creates or replaces a secret with a value sealed to the scope's public key. Never retried; when the outcome is
   * unknown the error has `mayHaveSucceeded`.
   */
  async putSecret(scope: SecretScope, name: string, encryptedValue: string, keyId: string): Promise<'created' | 'updated'> {
    const res = await this.send('PUT', `${secretsPath(scope)}/${encodeURIComponent(name)}`, { encrypted_value: encryptedValue, key_id: keyId }, true);
    if (res.status === 201) return 'created';
    if (res.status === 204) return 'updated';
    throw this.failure(res, { repo: scope.repo, environment: scope.environment, secret: name, write: true });
  }

  private async json(method: string, path: string, about: About): Promise<Json> {
    const res = await this.send(method, path, undefined, false);
    if (res.status !== 200) throw this.failure(res, about);
    const text = res.text;
    try {
      const v: unknown = JSON.parse(text);
      if (isRecord(v)) return v;
    } catch {
      // falls through to the shape error
    }
    throw shape(path.split('?')[0]);
  }

  private async send(method: string, path: string, body: Json | undefined, write: boolean): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? TIMEOUT_MS);
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${this.options.token}`,
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': this.options.userAgent,
    };
    if (body) headers['Content-Type'] = 'application/json';
    const logPath = path.split('?')[0];
    const url = this.baseUrl + path;
    let status: number | undefined;
    try {
      const init = { method, headers, body: body ? JSON.stringify(body) : undefined, signal: controller.signal, redirect: NO_REDIRECTS };
      const res = await this.fetch(url, init);
      status = res.status;
      this.options.onRequest?.(`GitHub ${method} ${logPath} → ${res.status}`);
      const to = redirectHost(res.status, res.headers.get('location'), url);
      if (to !== undefined) {
        throw new GitHubError(
          'protocol',
          `The GitHub API address redirected to ${to}; the extension does not follow redirects, so nothing was sent there. ` +
            'Check the GitHub API URL setting.',
          res.status,
        );
      }
      // The timeout covers the body too: a server that sends headers and then stalls is cut off like a silent one.
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (e instanceof GitHubError) throw e;
      if (status === undefined) this.options.onRequest?.(`GitHub ${method} ${logPath} → no answer`);
      const timedOut = controller.signal.aborted;
      const why = timedOut ? 'it did not answer in time' : githubDetail(e instanceof Error ? e.message : String(e), 100);
      throw new GitHubError(
        'network',
        `Could not reach GitHub at ${new URL(this.baseUrl).host} (${why}).` + (write ? ' The secret may or may not have been written.' : ''),
        undefined,
        write,
      );
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private failure(res: Answer, about: About): GitHubError {
    const text = res.text;
    let detail = '';
    try {
      const v = JSON.parse(text) as Json;
      if (typeof v.message === 'string') detail = githubDetail(v.message, 120);
    } catch {
      detail = '';
    }
    const where = about.repo ? repoLabel(about.repo) : '';
    const env = about.environment ? ` environment "${about.environment}" of` : '';
    const s = res.status;
    if (s === 401) return new GitHubError('unauthorized', 'GitHub did not accept your GitHub sign-in (the token is invalid, expired or revoked). Sign in to GitHub again.', s);
    // GitHub's rules (docs, "Rate limits for the REST API"): a primary limit is 403/429 with x-ratelimit-remaining 0;
    // a secondary limit is 403/429 with a message saying so, often with retry-after. Neither is a permission problem.
    const retryAfter = res.headers.get('retry-after');
    if (
      s === 429 ||
      (s === 403 && (res.headers.get('x-ratelimit-remaining') === '0' || (retryAfter !== null && retryAfter.trim() !== '') || /rate limit/i.test(detail)))
    ) {
      const wait = retryAfterSeconds(retryAfter);
      return new GitHubError(
        'rateLimited',
        wait !== undefined
          ? `GitHub is limiting how fast requests may be made. Try again in ${formatWait(wait)}.`
          : 'GitHub is limiting how fast requests may be made. Wait a few minutes and try again.',
        s,
      );
    }
    if (s === 403) {
      return new GitHubError(
        'forbidden',
        about.repo
          ? `GitHub refused access to the${env} repository ${where}: setting Actions secrets needs write (collaborator) access to the repository and a token with the "repo" scope (or a fine-grained token with Secrets: write).` + (detail ? ` GitHub said: ${detail}` : '')
          : `GitHub refused the request.` + (detail ? ` GitHub said: ${detail}` : ''),
        s,
      );
    }
    if (s === 404) {
      return new GitHubError(
        'notFound',
        about.environment
          ? `GitHub has no environment "${about.environment}" in ${where} that this account can see.`
          : about.repo
            ? `GitHub has no repository ${where} that this account can see (or it may not manage its secrets). ` +
              'Check the git remote, and that your token can access it (private repositories need the "repo" scope).'
            : `GitHub could not find ${about.what ?? 'it'}.`,
        s,
      );
    }
    if (s === 422) {
      return new GitHubError(
        'invalid',
        about.secret ? `GitHub rejected the secret "${about.secret}"${detail ? `: ${detail}` : '.'}` : `GitHub rejected the request${detail ? `: ${detail}` : '.'}`,
        s,
      );
    }
    if (s >= 500) {
      return new GitHubError(
        'server',
        `GitHub had a server problem (HTTP ${s}).` + (about.write ? ' The secret may or may not have been written.' : ' Try again in a minute.'),
        s,
        !!about.write,
      );
    }
    return new GitHubError('protocol', `GitHub answered HTTP ${s}${detail ? `: ${detail}` : ''}.`, s);
  }
}

interface About {
  repo?: GitHubRepo;
  environment?: string;
  secret?: string;
  write?: boolean;
  what?: string;
}

function repoPath(r: GitHubRepo): string {
  return `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}`;
}

function secretsPath(scope: SecretScope): string {
  const base = repoPath(scope.repo);
  return scope.environment ? `${base}/environments/${encodeURIComponent(scope.environment)}/secrets` : `${base}/actions/secrets`;
}

function str(body: Json, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') throw shape(key);
  return v;
}

function shape(where: string): GitHubError {
  return new GitHubError('protocol', `GitHub sent an answer this extension does not understand (at ${where}).`);
}

function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value.trim());
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
