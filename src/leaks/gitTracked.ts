// Whether a file is tracked by git, asked locally: through VS Code's git extension when it runs, else `git ls-files`
// in a trusted workspace. Nothing is fetched or pushed. In Restricted Mode git is not run at all: a repository's own
// config (core.fsmonitor, hooks) can run programs, and VS Code's git extension is off there too.
import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';

export type Tracked = 'tracked' | 'untracked' | 'ignored' | 'noRepository' | 'unknown';

/** The few members of the git extension's API (extensions/git/src/api/git.d.ts) this reads. */
interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly workingTreeChanges: readonly GitChange[]; readonly untrackedChanges?: readonly GitChange[] };
  checkIgnore?(paths: string[]): Promise<Set<string>>;
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

const UNTRACKED = 7; // Status.UNTRACKED in git.d.ts
const IGNORED = 8; // Status.IGNORED

function viaExtension(uri: vscode.Uri): Promise<Tracked> | undefined {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext?.isActive) return undefined;
  let api: GitApi;
  try {
    api = ext.exports.getAPI(1);
  } catch {
    return undefined;
  }
  if (api.state !== 'initialized') return undefined;
  const repo = api.getRepository(uri);
  if (!repo) return undefined; // not opened (yet) by the git extension: ask git itself
  return (async () => {
    const same = (c: GitChange) => c.uri.fsPath === uri.fsPath;
    const changes = [...repo.state.workingTreeChanges, ...(repo.state.untrackedChanges ?? [])].filter(same);
    if (changes.some((c) => c.status === IGNORED)) return 'ignored';
    if (changes.some((c) => c.status === UNTRACKED)) return 'untracked';
    if (repo.checkIgnore && (await repo.checkIgnore([uri.fsPath])).size > 0) return 'ignored';
    return 'tracked';
  })();
}

function viaGit(file: string): Promise<Tracked> {
  return new Promise((resolve) => {
    execFile(
      'git',
      // fsmonitor off: a hostile repository's config could name a program for git to run.
      ['-c', 'core.fsmonitor=false', 'ls-files', '--error-unmatch', '--', path.basename(file)],
      { cwd: path.dirname(file), timeout: 5000, windowsHide: true },
      (error, _stdout, stderr) => {
        if (!error) return resolve('tracked');
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve('unknown'); // no git installed
        if (/not a git repository/i.test(stderr)) return resolve('noRepository');
        resolve(typeof (error as { code?: unknown }).code === 'number' ? 'untracked' : 'unknown');
      },
    );
  });
}

export async function gitTracked(uri: vscode.Uri): Promise<Tracked> {
  if (uri.scheme !== 'file') return 'noRepository';
  const fromExtension = viaExtension(uri);
  if (fromExtension) return fromExtension;
  if (!vscode.workspace.isTrusted) return 'unknown';
  return viaGit(uri.fsPath);
}

export function trackedText(t: Tracked): string {
  switch (t) {
    case 'tracked':
      return vscode.l10n.t('This file is tracked by git: the token is in its history once committed. Revoke it; removing it is not enough.');
    case 'untracked':
      return vscode.l10n.t('This file is not tracked by git (yet). Keep it out of commits.');
    case 'ignored':
      return vscode.l10n.t('This file is ignored by git.');
    case 'noRepository':
      return vscode.l10n.t('This file is not in a git repository.');
    case 'unknown':
      return vscode.workspace.isTrusted
        ? vscode.l10n.t('Whether git tracks this file is not known.')
        : vscode.l10n.t('Git is not asked in Restricted Mode.');
  }
}
