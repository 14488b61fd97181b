// The published bundle holds no test API: built as `vscode:prepublish` builds it, its files name none of the test
// hooks, while a development build (the one the in-VS-Code tests run) still has them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The test API's names as they survive minification (property names), and `extensionMode`, read only by the branch
 * that hands the API (with the extension context and so its secret storage) to the tests.
 */
const HOOKS = ['setPrompter', 'allowApiFromEnvironment', 'forgetClientMemory', 'makeModel', 'extensionMode'];

function build(args: string[]): { dir: string; files: Map<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fly-tokens-bundle-'));
  const env = { ...process.env };
  delete env.FLY_TOKENS_TEST_HOOKS;
  const run = spawnSync(process.execPath, ['esbuild.mjs', ...args, '--outdir', dir], { cwd: ROOT, encoding: 'utf8', env });
  assert.equal(run.status, 0, `the build failed:\n${run.stdout}${run.stderr}`);
  const files = new Map(readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  assert.ok(files.has('extension.js'), `no extension.js in ${[...files.keys()].join(', ')}`);
  return { dir, files };
}

describe('the production bundle ships no test API', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('node esbuild.mjs --production: no test hook in any file', () => {
    const prod = build(['--production']);
    dirs.push(prod.dir);
    assert.ok(prod.files.size >= 2, 'the on-demand files are checked too');
    const found = [...prod.files].flatMap(([file, text]) => HOOKS.filter((h) => text.includes(h)).map((h) => `${h} in ${file}`));
    assert.deepEqual(found, []);
  });

  it('a development build keeps them (the in-VS-Code tests need them)', () => {
    const dev = build([]);
    dirs.push(dev.dir);
    const text = dev.files.get('extension.js')!;
    assert.deepEqual(HOOKS.filter((h) => !text.includes(h)), []);
  });
});
