// `npm run install:vscode [-- --vscode oldest|newest|both]` (default both): installs the VS Code versions the tests
// use into .cache/ ahead of time, and says how long each took. Several versions install at once, each in a child
// process of its own (an install is synchronous work: downloads and native builds then overlap).
// The test scripts install on first use anyway; CI calls this first so that its log shows install and test times apart.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './codeServer.mjs';
import { UsageError, describeTarget, targetsFromArgs } from './lib/vscodeTargets.mjs';

/** @type {import('./lib/vscodeTargets.mjs').VscodeTarget[]} */
let targets;
try {
  targets = targetsFromArgs(process.argv.slice(2), 'both');
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`install:vscode: ${error.message}`);
  process.exit(2);
}

if (targets.length === 1) {
  const [target] = targets;
  const started = Date.now();
  try {
    await ensureCodeServer(target);
  } catch (error) {
    console.error('[install:vscode]', error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(`[install:vscode] ${describeTarget(target)} ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const codes = await Promise.all(
  targets.map(
    (target) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [self, '--vscode', target.name], { stdio: 'inherit' });
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
        child.once('error', () => resolve(1));
      }),
  ),
);
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
