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
