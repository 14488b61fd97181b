// Entry point of the in-VS-Code suite (the `extensionTestsPath` contract): the same bundle runs under
// code-server (scripts/runVscodeTests.mjs) and desktop VS Code (@vscode/test-electron, scripts/runElectronTests.mjs).
import Mocha from 'mocha';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { EXTENSION_ID } from './support/harness';
import { loadSuites } from './suites';

/** Where the runners keep the VS Code profiles they make (scripts/codeServer.mjs newRunDir): <repo>/.cache/. */
const RUNS_ROOT = path.resolve(__dirname, '..', '..', '..', '.cache');

/**
 * The suites write user settings and secrets: they run only in a VS Code of their own (npm run test:vscode,
 * test:electron, or the Extension Tests launch configurations), never in a developer's own profile.
 */
export async function assertOwnUserData(): Promise<void> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  const api = await ext.activate();
  const storage = api?.context.globalStorageUri.fsPath;
  if (!storage || !path.resolve(storage).startsWith(RUNS_ROOT + path.sep)) {
    throw new Error(
      `Refusing to run the in-VS-Code suites with user data at ${storage ?? '(unknown)'}: they write settings and secrets. ` +
        `Run them in a VS Code of their own under ${RUNS_ROOT}: npm run test:vscode, or the "Extension Tests" launch configuration.`,
    );
  }
}

export async function run(): Promise<void> {
  await assertOwnUserData();
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000,
    color: false,
    reporter: 'spec',
    grep: process.env.MOCHA_GREP || undefined,
  });
  // The suites are bundled into this file, so mocha never `require`s them itself: define describe/it/hooks
  // on the global object first, then evaluate the suite modules (lazily wrapped by the bundler).
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'test/vscode/suites.ts', mocha);
  loadSuites();
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} test${failures === 1 ? '' : 's'} failed`));
      else resolve();
    });
  });
}
