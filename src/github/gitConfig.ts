// Reads a working tree's remotes from its git config files, for when VS Code's git extension is not available.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface GitRemote {
  name: string;
  url: string;
}

export interface GitCheckout {
  /** the working tree's top folder (where `.git` is) */
  root: string;
  remotes: GitRemote[];
}

/** Parses git's config syntax far enough for remotes and `url.<base>.insteadOf` rewrites. */
export function parseGitConfig(text: string): GitRemote[] {
  const remotes: GitRemote[] = [];
  const rewrites: { base: string; prefix: string }[] = [];
  let section: { kind: 'remote' | 'url'; name: string } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    if (!line) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (header) {
      const kind = header[1].toLowerCase();
      section = (kind === 'remote' || kind === 'url') && header[2] !== undefined ? { kind, name: header[2].replace(/\\(.)/g, '$1') } : undefined;
      continue;
    }
    const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv || !section) continue;
    const key = kv[1].toLowerCase();
    const value = unquote(kv[2]);
    if (section.kind === 'remote' && key === 'url' && !remotes.some((r) => r.name === section!.name)) {
      remotes.push({ name: section.name, url: value });
    } else if (section.kind === 'url' && key === 'insteadof') {
      rewrites.push({ base: section.name, prefix: value });
    }
  }
  return remotes.map((r) => {
    // git applies the longest matching prefix
    const match = rewrites.filter((w) => r.url.startsWith(w.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    return match ? { name: r.name, url: match.base + r.url.slice(match.prefix.length) } : r;
  });
}

function unquote(v: string): string {
  const t = v.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}

/**
 * Finds the checkout containing `dir` (this folder or the nearest parent with a `.git`), and reads its remotes.
 * A `.git` file (worktree, submodule) is followed to its git dir, and a worktree's `commondir` to the shared config.
 */
export async function readCheckout(dir: string): Promise<GitCheckout | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    const dotGit = path.join(current, '.git');
    const gitDir = await resolveGitDir(dotGit);
    if (gitDir) {
      const text = await fs.readFile(path.join(gitDir, 'config'), 'utf8').catch(() => undefined);
      if (text !== undefined) return { root: current, remotes: parseGitConfig(text) };
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

async function resolveGitDir(dotGit: string): Promise<string | undefined> {
  const stat = await fs.stat(dotGit).catch(() => undefined);
  if (!stat) return undefined;
  if (stat.isDirectory()) return dotGit;
  const text = await fs.readFile(dotGit, 'utf8').catch(() => '');
  const m = /^gitdir:\s*(.+)$/m.exec(text);
  if (!m) return undefined;
  const gitDir = path.resolve(path.dirname(dotGit), m[1].trim());
  const common = (await fs.readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => '')).trim();
  return common ? path.resolve(gitDir, common) : gitDir;
}

/** The remote's default branch as the last fetch recorded it (`refs/remotes/<remote>/HEAD`), if known. */
export async function remoteDefaultBranch(root: string, remote = 'origin'): Promise<string | undefined> {
  const gitDir = await resolveGitDir(path.join(root, '.git'));
  if (!gitDir) return undefined;
  const text = await fs.readFile(path.join(gitDir, 'refs', 'remotes', remote, 'HEAD'), 'utf8').catch(() => '');
  const m = new RegExp(`^ref:\\s*refs/remotes/${remote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(.+)$`, 'm').exec(text);
  return m ? m[1].trim() : undefined;
}
