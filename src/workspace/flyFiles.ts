import { promises as nodeFs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** A file that names no app says why (`message`), and where when the TOML itself is broken (1-based). */
export type FlyFileResult = { ok: true; app: string } | { ok: false; message: string; short?: string; line?: number; column?: number };

export interface FlyFile {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** path inside its workspace folder, e.g. "web/fly.staging.toml" */
  relativePath: string;
  result: FlyFileResult;
}

/** Folders never searched: dependencies, VCS data, build output. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', '.hg', '.svn', 'out', 'target', '.venv', '__pycache__']);
const MAX_DEPTH = 12;
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Finds fly.toml and fly.*.toml in every workspace folder through workspace.fs (so remote and virtual
 * folders work too) and follows them with a file watcher.
 */
export class FlyFiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{fly.toml,fly.*.toml}');
    const fire = () => this.fireSoon();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(fire),
      watcher.onDidChange(fire),
      watcher.onDidDelete(fire),
      vscode.workspace.onDidChangeWorkspaceFolders(fire),
    );
  }

  private fireSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), 250);
  }

  async scan(): Promise<FlyFile[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const perFolder = await Promise.all(folders.map((f) => scanFolder(f)));
    return perFolder.flat();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** The TOML reader is its own file (see esbuild.mjs), loaded with the first scan rather than at activation. */
type FlyToml = typeof import('../fly/flyToml');

async function scanFolder(folder: vscode.WorkspaceFolder): Promise<FlyFile[]> {
  const toml: FlyToml = await import('../fly/flyToml');
  const found: Found[] = [];
  await walk(folder.uri, 0, found, toml);
  const files = await Promise.all(found.map((f) => readFlyFile(folder, f, toml)));
  return files.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}

interface Found {
  uri: vscode.Uri;
  symlink: boolean;
}

async function walk(dir: vscode.Uri, depth: number, found: Found[], toml: FlyToml): Promise<void> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return; // unreadable folder: nothing of ours in it
  }
  const subdirs: vscode.Uri[] = [];
  for (const [name, type] of entries) {
    if (type & vscode.FileType.Directory) {
      if (depth < MAX_DEPTH && !SKIP_DIRS.has(name) && !(type & vscode.FileType.SymbolicLink)) subdirs.push(vscode.Uri.joinPath(dir, name));
    } else if (type & vscode.FileType.File && toml.isFlyTomlName(name)) {
      found.push({ uri: vscode.Uri.joinPath(dir, name), symlink: !!(type & vscode.FileType.SymbolicLink) });
    }
  }
  await Promise.all(subdirs.map((d) => walk(d, depth + 1, found, toml)));
}

/**
 * Whether a symbolic link's target lies inside a workspace folder. A repository can hold a link to any file of the
 * machine (`fly.toml -> ~/.fly/config.yml`); its contents would then show in the view and its errors. Folders that
 * are not on the local file system can't be checked, so links there are not followed.
 */
async function linkStaysInWorkspace(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return false;
  try {
    const target = await nodeFs.realpath(uri.fsPath);
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (f.uri.scheme !== 'file') continue;
      const root = await nodeFs.realpath(f.uri.fsPath).catch(() => f.uri.fsPath);
      const rel = path.relative(root, target);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return true;
    }
  } catch {
    // a dangling link: nothing to read
  }
  return false;
}

async function readFlyFile(folder: vscode.WorkspaceFolder, found: Found, toml: FlyToml): Promise<FlyFile> {
  const { uri } = found;
  const relativePath = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
  const base = { uri, folder, relativePath };
  try {
    if (found.symlink && !(await linkStaysInWorkspace(uri))) {
      const message = vscode.l10n.t('a symbolic link to a file outside the workspace; not followed');
      return { ...base, result: { ok: false, message, short: vscode.l10n.t('link outside workspace') } };
    }
    // The size first: a huge file (or one that keeps growing) is never read into memory.
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_FILE_BYTES) {
      const mb = (size / 1048576).toFixed(1);
      const message = vscode.l10n.t('file is {0} MB, larger than a fly.toml can be (1 MB); not read', mb);
      return { ...base, result: { ok: false, message, short: vscode.l10n.t('too large ({0} MB)', mb) } };
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > MAX_FILE_BYTES) {
      const message = vscode.l10n.t('file grew past 1 MB while it was read; not read');
      return { ...base, result: { ok: false, message, short: vscode.l10n.t('too large') } };
    }
    if (bytes.includes(0)) {
      return { ...base, result: { ok: false, message: vscode.l10n.t('not a text file') } };
    }
    const parsed = toml.parseFlyToml(new TextDecoder('utf-8').decode(bytes));
    if (parsed.ok) return { ...base, result: { ok: true, app: parsed.app } };
    return { ...base, result: { ok: false, message: parsed.message, line: parsed.line, column: parsed.column } };
  } catch (e) {
    const message = vscode.l10n.t('could not be read: {0}', e instanceof Error ? e.message : String(e));
    return { ...base, result: { ok: false, message, short: vscode.l10n.t('unreadable') } };
  }
}

/** Files ordered by closeness to a document: the nearest fly.toml first. */
export function byNearness(files: readonly FlyFile[], near: vscode.Uri | undefined): FlyFile[] {
  if (!near) return [...files];
  const score = (f: FlyFile) => {
    const dir = f.uri.path.slice(0, f.uri.path.lastIndexOf('/') + 1);
    if (f.uri.scheme !== near.scheme || f.uri.authority !== near.authority) return -1;
    return near.path.startsWith(dir) ? dir.length : commonPrefix(dir, near.path) / 1000;
  };
  return [...files].sort((a, b) => score(b) - score(a));
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
