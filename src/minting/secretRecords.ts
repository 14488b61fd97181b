// Which GitHub secret holds which deploy token, so a rotation can offer to update it. Kept in globalState:
// token ids and repository names, never a token.
import type * as vscode from 'vscode';

export interface SecretRecord {
  host: string;
  owner: string;
  repo: string;
  name: string;
  environment?: string;
  /** the checkout the repository was found in */
  root: string;
  /**
   * The GitHub API the secret was set through (absent in records made before it was kept). Owner/name alone would
   * let a changed API URL seal the next token into a same-named repository on another GitHub.
   */
  apiUrl?: string;
}

/**
 * Whether the secret's GitHub is the one in use now. A record without its API is trusted only for github.com through
 * the default API: anything else might be a look-alike repository on another instance.
 */
export function sameGitHub(record: SecretRecord, api: { url: string; isDefault: boolean }): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  if (record.apiUrl !== undefined) return norm(record.apiUrl) === norm(api.url);
  return api.isDefault && record.host.toLowerCase() === 'github.com';
}

const KEY = 'flyTokens.githubSecrets';

export class SecretRecords {
  constructor(private readonly memento: vscode.Memento) {}

  private all(): Record<string, SecretRecord> {
    return this.memento.get<Record<string, SecretRecord>>(KEY) ?? {};
  }

  get(tokenId: string): SecretRecord | undefined {
    return this.all()[tokenId];
  }

  async set(tokenId: string, record: SecretRecord): Promise<void> {
    await this.memento.update(KEY, { ...this.all(), [tokenId]: record });
  }

  async delete(tokenId: string): Promise<void> {
    const { [tokenId]: _gone, ...rest } = this.all();
    void _gone;
    await this.memento.update(KEY, rest);
  }
}
