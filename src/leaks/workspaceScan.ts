// "Find Fly Tokens in Workspace": every file the workspace would search — `files.exclude`, `search.exclude` and
// `.gitignore` honoured — read once, binary and huge files skipped, links leading out of the workspace not followed.
// Files are listed by VS Code (ripgrep), read with a few reads in flight at once, and matched by the finder; the
// .gitignore files are read here (git is not run: the scan is safe in Restricted Mode).
import { promises as fs } from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import * as vscode from 'vscode';
import { findTokens, looksBinary } from '../fly/tokenFinder';
import type { Finding, LeakFinder, ScanStats } from './leakFinder';

/** Files larger than this are not read (bundles, dumps, data): a credential pasted by hand lives in small files. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const IN_FLIGHT = 24;

/** `{a,b}` patterns expanded, so each pattern can join one `{…}` glob (VS Code's globs do not nest braces). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open === -1) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) {
      const inner = pattern.slice(open + 1, i);
      const options: string[] = [];
      let d = 0;
      let from = 0;
      for (let j = 0; j < inner.length; j++) {
        if (inner[j] === '{') d++;
        else if (inner[j] === '}') d--;
        else if (inner[j] === ',' && d === 0) {
          options.push(inner.slice(from, j));
          from = j + 1;
        }
      }
      options.push(inner.slice(from));
      const rest = pattern.slice(i + 1);
      return options.flatMap((o) => expandBraces(pattern.slice(0, open) + o + rest));
    }
  }
  return [pattern];
}

/** The glob of what the workspace's search leaves out: `files.exclude` and `search.exclude` entries set to true. */
export function excludeGlob(folder: vscode.WorkspaceFolder): string | undefined {
  const patterns: string[] = [];
  for (const section of ['files.exclude', 'search.exclude']) {
    const value = vscode.workspace.getConfiguration(undefined, folder.uri).get<Record<string, unknown>>(section) ?? {};
    // `{ when: … }` entries depend on sibling files: left to the files themselves (they are read, not skipped).
    for (const [glob, on] of Object.entries(value)) if (on === true) patterns.push(...expandBraces(glob));
  }
  if (patterns.length === 0) return undefined;
  return `{${[...new Set(patterns)].join(',')}}`;
}

/** The .gitignore rules of a folder: its .git/info/exclude and every .gitignore, each applying below its directory. */
class GitIgnores {
  private readonly rules = new Map<string, Ignore>(); // directory (relative, '' = root) → rules

  static async load(root: string, gitignores: readonly vscode.Uri[]): Promise<GitIgnores> {
    const g = new GitIgnores();
    const add = async (dir: string, file: string) => {
      try {
        const text = await fs.readFile(file, 'utf8');
        const rules = g.rules.get(dir) ?? ignore();
        g.rules.set(dir, rules.add(text));
      } catch {
        // unreadable rules: nothing to honour
      }
    };
    await add('', path.join(root, '.git', 'info', 'exclude'));
    for (const uri of gitignores) {
      const dir = path.relative(root, path.dirname(uri.fsPath)).split(path.sep).join('/');
      if (!dir.startsWith('..')) await add(dir === '.' ? '' : dir, uri.fsPath);
    }
    return g;
  }

  ignores(relative: string): boolean {
    for (const [dir, rules] of this.rules) {
      if (dir !== '' && !relative.startsWith(`${dir}/`)) continue;
      const below = dir === '' ? relative : relative.slice(dir.length + 1);
      if (rules.ignores(below)) return true;
    }
    return false;
  }
}

interface ScanOptions {
  token: vscode.CancellationToken;
  progress?: (done: number, total: number) => void;
}

/** Lists, filters and reads the workspace's files; the finder shows what is found. */
export async function scanWorkspace(finder: LeakFinder, options: ScanOptions): Promise<ScanStats> {
  const started = performance.now();
  const stats: ScanStats = {
    ...{ files: 0, read: 0, skippedBinary: 0, skippedLarge: 0, skippedOutside: 0 },
    ...{ found: 0, filesWithTokens: 0, cancelled: false, ms: 0 },
  };
  const files: { uri: vscode.Uri; root: string }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const exclude = excludeGlob(folder);
    const [listed, gitignores] = await Promise.all([
      vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, undefined, options.token),
      vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, undefined, options.token),
    ]);
    let root: string;
    try {
      root = await fs.realpath(folder.uri.fsPath);
    } catch {
      continue;
    }
    const rules = await GitIgnores.load(folder.uri.fsPath, gitignores);
    for (const uri of listed) {
      const relative = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
      if (!rules.ignores(relative)) files.push({ uri, root });
    }
  }
  stats.files = files.length;

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length && !options.token.isCancellationRequested) {
      const { uri, root } = files[next++];
      await readOne(finder, uri, root, stats);
      done++;
      if (done % 200 === 0 || done === files.length) options.progress?.(done, files.length);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  stats.cancelled = options.token.isCancellationRequested;
  finder.scanned = true;
  stats.ms = performance.now() - started;
  return stats;
}

/** Reads one file if it is text, small and inside its workspace folder; hands its findings to the finder. */
export async function readOne(finder: LeakFinder, uri: vscode.Uri, root: string, stats?: ScanStats): Promise<Finding[]> {
  let real: string;
  try {
    real = await fs.realpath(uri.fsPath);
  } catch {
    return [];
  }
  // A link (of the file or a folder above it) leading out of the workspace folder is not followed.
  if (real !== root && !real.startsWith(root + path.sep)) {
    if (stats) stats.skippedOutside++;
    return [];
  }
  let bytes: Buffer;
  try {
    const handle = await fs.open(real, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_FILE_BYTES) {
        if (stats) stats.skippedLarge++;
        return [];
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
  if (stats) stats.read++;
  if (looksBinary(bytes)) {
    if (stats) stats.skippedBinary++;
    return [];
  }
  const text = bytes.toString('utf8');
  const findings = finder.findingsOfText(text, findTokens(text));
  if (stats && findings.length > 0) {
    stats.found += findings.length;
    stats.filesWithTokens++;
  }
  finder.setFileFindings(uri, findings);
  return findings;
}
