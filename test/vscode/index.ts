// Entry point of the in-VS-Code suite (the `extensionTestsPath` contract): the same bundle runs under
// code-server (scripts/runVscodeTests.mjs) and desktop VS Code (@vscode/test-electron, scripts/runElectronTests.mjs).
import Mocha from 'mocha';
import { loadSuites } from './suites';

export function run(): Promise<void> {
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
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} test${failures === 1 ? '' : 's'} failed`));
      else resolve();
    });
  });
}
