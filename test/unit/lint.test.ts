// The lint rules that guard the layout fire: `vscode` (or a room above) imported into src/fly, src/github or
// src/http is an error, and the same import elsewhere is not. Runs ESLint's API with the repository's config.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = join(__dirname, '..', '..');

describe('lint: rooms that run without VS Code', function () {
  this.timeout(60_000);
  // Planted text at a path that need not exist: type-aware rules are off for it (they need the file on disk).
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

  async function restricted(text: string, file: string): Promise<string[]> {
    const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
    assert.ok(result, `no result for ${file}`);
    assert.deepEqual(result.messages.filter((m) => m.fatal), [], `${file} did not parse`);
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  for (const file of ['src/fly/planted.ts', 'src/github/planted.ts', 'src/http/planted.ts', 'src/fly/deeper/planted.ts']) {
    it(`refuses vscode in ${file}`, async () => {
      for (const text of ["import * as vscode from 'vscode';\n", "import type { Uri } from 'vscode';\n", "export { window } from 'vscode';\n"]) {
        const messages = await restricted(text, file);
        assert.equal(messages.length, 1, `${text.trim()} in ${file}: ${JSON.stringify(messages)}`);
        assert.match(messages[0], /'vscode' import is restricted.*run without VS Code/);
      }
    });
  }

  it('refuses a room above (which may bring vscode with it), allows src/http', async () => {
    assert.equal((await restricted("import { readSettings } from '../config';\n", 'src/fly/planted.ts')).length, 1);
    assert.equal((await restricted("import { Deps } from '../commands/deps';\n", 'src/github/planted.ts')).length, 1);
    assert.deepEqual(await restricted("import { isRecord } from '../http/json';\n", 'src/fly/planted.ts'), []);
    assert.deepEqual(await restricted("import { FlyClient } from './client';\n", 'src/fly/planted.ts'), []);
  });

  it('allows vscode in the rooms that are VS Code code', async () => {
    for (const file of ['src/extension.ts', 'src/commands/planted.ts', 'src/tree/planted.ts', 'test/vscode/planted.test.ts']) {
      assert.deepEqual(await restricted("import * as vscode from 'vscode';\n", file), [], file);
    }
  });
});
