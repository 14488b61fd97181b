// `npm run test:electron`: the same suite as test:vscode, in desktop VS Code via @vscode/test-electron
// (--vscode oldest|newest: the versions of scripts/lib/vscodeTargets.mjs, default newest).
// For machines WITH internet (it downloads VS Code on first use into .cache/vscode-test); on a headless Linux
// box run it under a display server, e.g. `xvfb-run -a npm run test:electron`. Options: --grep <pattern>.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { newRunDir, writeUserSettings } from './codeServer.mjs';
import { CACHE, ROOT } from './lib/paths.mjs';
import { TEST_WORKSPACE, argValue, suiteEnv } from './lib/testEnv.mjs';
import { UsageError, targetsFromArgs } from './lib/vscodeTargets.mjs';

const grep = argValue(process.argv.slice(2), 'grep');
/** @type {import('./lib/vscodeTargets.mjs').VscodeTarget} */
let target;
try {
  const targets = targetsFromArgs(process.argv.slice(2), 'newest');
  if (targets.length !== 1) throw new UsageError('test:electron runs one VS Code: --vscode oldest or newest');
  target = targets[0];
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`test:electron: ${error.message}`);
  process.exit(2);
}

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const profile = newRunDir('electron-tests');
const userDataDir = path.join(profile, 'user-data');
writeUserSettings(userDataDir);

const launchArgs = [
  TEST_WORKSPACE,
  '--disable-extensions', // only the extension under development
  '--disable-workspace-trust',
  '--skip-welcome',
  '--skip-release-notes',
  '--user-data-dir', userDataDir,
  '--extensions-dir', path.join(profile, 'extensions'),
];
// Chromium refuses to run as root with its sandbox on.
if (process.getuid?.() === 0) launchArgs.push('--no-sandbox');

try {
  const code = await runTests({
    version: target.vscode,
    cachePath: path.join(CACHE, 'vscode-test'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'vscode', 'index.js'),
    extensionTestsEnv: suiteEnv(typeof grep === 'string' ? grep : undefined, path.join(profile, 'fly-config')),
    launchArgs,
  });
  process.exit(code);
} catch (error) {
  console.error('[test:electron] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
}
