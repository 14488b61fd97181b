// Issue 11 item 10: a symbolic link named fly.toml that points outside the workspace is not followed (a repository
// could point it at any file of the machine). (The size check before reading has no test here: a multi-gigabyte
// sparse fly.toml, the only file that tells a stat from a read, makes VS Code's file watcher quit for later suites.)
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { setUp, signIn, type Harness } from './support/harness';

describe('security: fly.toml files the workspace cannot abuse', () => {
  let h: Harness;
  const web = () => vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath;
  const made: string[] = [];

  before(async () => {
    h = await setUp();
    await signIn(h);
  });
  after(async () => {
    for (const p of made) await fs.rm(p, { recursive: true, force: true });
    await h.api.model.refresh({ rescan: true });
  });
  afterEach(() => h.prompter.assertDone());

  async function dir(name: string): Promise<string> {
    const d = path.join(web(), name);
    await fs.mkdir(d, { recursive: true });
    made.push(d);
    return d;
  }
  const fileResult = (rel: string) => {
    const f = h.api.model.listing.files.find((x) => x.folder.name === 'web' && x.relativePath === rel);
    assert.ok(f, `no ${rel} among ${JSON.stringify(h.api.model.listing.files.map((x) => x.relativePath))}`);
    return f.result;
  };

  it('a fly.toml linked to a file outside the workspace is not followed, and says so', async () => {
    // A file of the machine that outlives the suite: VS Code's file watcher stops reporting changes after the
    // target of a symbolic link in the workspace is deleted, which would break later suites.
    await fs.symlink('/etc/os-release', path.join(await dir('linked-out'), 'fly.toml'));
    await h.api.model.refresh({ rescan: true });
    const r = fileResult('linked-out/fly.toml');
    assert.ok(!r.ok && /symbolic link to a file outside the workspace; not followed/.test(r.message), JSON.stringify(r));
  });

  it('a fly.toml linked to another file of the workspace is followed', async () => {
    const target = path.join(await dir('real-config'), 'other.toml');
    await fs.writeFile(target, 'app = "linked-inside-app"\n');
    await fs.symlink(target, path.join(await dir('linked-in'), 'fly.toml'));
    await h.api.model.refresh({ rescan: true });
    assert.deepStrictEqual(fileResult('linked-in/fly.toml'), { ok: true, app: 'linked-inside-app' });
  });
});
