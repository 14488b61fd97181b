// Typed failures of the GitHub API. Each message is one user-facing sentence and never carries a token.
import { scrubSecrets, summarise } from '../http/redact';

export type GitHubErrorKind = 'unauthorized' | 'forbidden' | 'notFound' | 'invalid' | 'rateLimited' | 'server' | 'network' | 'protocol';

const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g;

export function scrubGitHub(text: string, secrets: readonly string[] = []): string {
  return scrubSecrets(text.replace(GITHUB_TOKEN, '[redacted]'), secrets);
}

export class GitHubError extends Error {
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    /** HTTP status when GitHub answered */
    readonly status?: number,
    /** a write whose outcome is unknown (no answer, or a server error): it may have taken effect */
    readonly mayHaveSucceeded = false,
  ) {
    super(scrubGitHub(message));
    this.name = 'GitHubError';
  }
}

/** Shortens and scrubs text GitHub (or a proxy) sent before it goes into a message. */
export function githubDetail(text: string, max = 160): string {
  return summarise(scrubGitHub(text), max);
}
