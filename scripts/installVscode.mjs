// `npm run install:vscode [-- --vscode oldest|newest|both]` (default both): installs the VS Code versions the tests
// use into .cache/ ahead of time, both at once (downloads and native builds overlap), and says how long each took.
// The test scripts install on first use anyway; CI calls this first so that its log shows install and test times apart.
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
const results = await Promise.allSettled(
  targets.map(async (target) => {
    const started = Date.now();
    await ensureCodeServer(target);
    console.log(`[install:vscode] ${describeTarget(target)} ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }),
);
const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
for (const error of failed) console.error('[install:vscode]', error instanceof Error ? error.message : error);
process.exit(failed.length > 0 ? 1 : 0);
