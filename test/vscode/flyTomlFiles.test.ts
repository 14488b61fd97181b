// Issue 11 item 10: a fly.toml is checked for size before it is read, and a symbolic link named fly.toml that
// points outside the workspace is not followed (a repository could point it at any file of the machine).
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { setUp, signIn, type Harness } from './support/harness';

describe('security: fly.toml files the workspace cannot abuse', () => {
  let h: Harness;
  let outside: string;
  const web = () => vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath;
  const made: string[] = [];

  before(async () => {
    h = await setUp();
    await signIn(h);
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'fly-outside-'));
    await fs.writeFile(path.join(outside, 'fly.toml'), 'app = "outside-secret-app"\n');
  });
  after(async () => {
    for (const p of made) await fs.rm(p, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
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
    await fs.symlink(path.join(outside, 'fly.toml'), path.join(await dir('linked-out'), 'fly.toml'));
    await h.api.model.refresh({ rescan: true });
    const r = fileResult('linked-out/fly.toml');
    assert.ok(!r.ok && /symbolic link to a file outside the workspace; not followed/.test(r.message), JSON.stringify(r));
    assert.ok(!h.api.model.workspaceApps().some((a) => a.name === 'outside-secret-app'), 'the outside file was not read');
  });

  it('a fly.toml linked to another file of the workspace is followed', async () => {
    const target = path.join(await dir('real-config'), 'other.toml');
    await fs.writeFile(target, 'app = "linked-inside-app"\n');
    await fs.symlink(target, path.join(await dir('linked-in'), 'fly.toml'));
    await h.api.model.refresh({ rescan: true });
    assert.deepStrictEqual(fileResult('linked-in/fly.toml'), { ok: true, app: 'linked-inside-app' });
  });

  it('a 3 GB fly.toml is refused by its size, without being read', async () => {
    const huge = path.join(await dir('huge'), 'fly.toml');
    const handle = await fs.open(huge, 'w');
    await handle.truncate(3 * 1024 * 1024 * 1024); // sparse: takes no disk space
    await handle.close();
    await h.api.model.refresh({ rescan: true });
    const r = fileResult('huge/fly.toml');
    assert.ok(!r.ok && r.message.includes('file is 3072.0 MB, larger than a fly.toml can be (1 MB); not read'), JSON.stringify(r));
  });
});
