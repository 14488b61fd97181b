// `npm run test:vscode`: bundles the mocha suite in test/vscode/ and runs it inside a real VS Code (code-server),
// with the multi-root fixture workspace open: once trusted (the whole suite), once with workspace trust on and the
// workspace not trusted (the Restricted Mode suite). Options:
//   --vscode oldest|newest|both  which VS Code (scripts/lib/vscodeTargets.mjs; default newest)
//   --trusted / --untrusted      only that half
//   --grep <pattern>, --verbose (whole page console). TEST_TIMEOUT_MS bounds each run (default 10 min).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { newRunDir, startCodeServer } from './codeServer.mjs';
import { runExtensionTests } from './lib/extensionTests.mjs';
import { stackMapper } from './lib/stackMapper.mjs';
import { ROOT } from './lib/paths.mjs';
import { TEST_WORKSPACE, argValue, suiteEnv } from './lib/testEnv.mjs';
import { UsageError, describeTarget, targetsFromArgs } from './lib/vscodeTargets.mjs';

const argv = process.argv.slice(2);
/** @type {import('./lib/vscodeTargets.mjs').VscodeTarget[]} */
let targets;
try {
  targets = targetsFromArgs(argv, 'newest');
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`test:vscode: ${error.message}`);
  process.exit(2);
}
const grep = argValue(argv, 'grep');
const verbose = argValue(argv, 'verbose') === true;
const onlyTrusted = argValue(argv, 'trusted') === true;
const onlyUntrusted = argValue(argv, 'untrusted') === true;
const trustModes = onlyUntrusted ? [false] : onlyTrusted ? [true] : [true, false];
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 600_000);

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test:vscode: the build failed');
  process.exit(build.status ?? 1);
}

// The suite's output is part of what must never hold a token: any token-shaped text in it fails the run.
const TOKEN_LIKE = /\b(?:fm1r|fm1a|fm2|fo1)_[A-Za-z0-9+/=_-]{12,}|FlyV1\s+fm2_\S+|Bearer\s+[A-Za-z0-9._-]{20,}/g;

/**
 * One run of the suite in one VS Code, trusted or not.
 * @param {import('./lib/vscodeTargets.mjs').VscodeTarget} target
 * @param {boolean} trusted
 * @returns {Promise<number>} exit code
 */
async function runOnce(target, trusted) {
  const label = `test:vscode ${target.name}${trusted ? '' : ' untrusted'}`;
  const started = Date.now();
  const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  /** @type {string[]} */
  const tokenLines = [];
  /** @type {Awaited<ReturnType<typeof startCodeServer>> | undefined} */
  let server;
  let code;
  try {
    const profile = newRunDir(`vscode-${target.name}-${trusted ? 'trusted' : 'untrusted'}`);
    server = await startCodeServer({
      target,
      workspaceFile: TEST_WORKSPACE,
      userDataDir: path.join(profile, 'user-data'),
      extensionsDir: path.join(profile, 'extensions'),
      logFile: path.join(profile, 'code-server.log'),
      env: {
        ...suiteEnv(typeof grep === 'string' ? grep : undefined, path.join(profile, 'fly-config')),
        FLY_TOKENS_UNTRUSTED: trusted ? undefined : '1',
      },
      trust: trusted,
    });
    console.log(`[${label}] ${describeTarget(target)} at ${server.baseUrl} ready after ${since()}; running the suite`);
    const suite = path.join(ROOT, 'out', 'test', 'vscode', 'index.js');
    const toSource = stackMapper(suite, ROOT);
    code = await runExtensionTests({
      baseUrl: server.baseUrl,
      openQuery: `workspace=${encodeURIComponent(TEST_WORKSPACE)}`,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      timeoutMs,
      verbose,
      print: (text) => {
        const line = toSource(text);
        if (new RegExp(TOKEN_LIKE.source).test(line)) tokenLines.push(line.replace(TOKEN_LIKE, '[token-like text]'));
        process.stdout.write(`${line.replace(TOKEN_LIKE, '[token-like text]')}\n`);
      },
    });
    if (tokenLines.length > 0) {
      console.error(`[${label}] FAIL: ${tokenLines.length} line(s) of the suite's output held token-like text (masked above):`);
      for (const l of tokenLines.slice(0, 5)) console.error(`  ${l.slice(0, 200)}`);
      if (code === 0) code = 1;
    }
    console.log(`[${label}] exit code ${code} after ${since()} (code-server log: ${path.relative(ROOT, server.logFile)})`);
  } catch (error) {
    console.error(`[${label}] harness error:`, error instanceof Error ? error.message : error);
    code = 2;
  } finally {
    await server?.stop();
  }
  return code;
}

/** @type {{label: string, code: number, seconds: number}[]} */
const results = [];
for (const target of targets) {
  for (const trusted of trustModes) {
    const began = Date.now();
    const code = await runOnce(target, trusted);
    results.push({
      label: `VS Code ${target.vscode} (${target.name}), ${trusted ? 'trusted' : 'untrusted'}`,
      code,
      seconds: (Date.now() - began) / 1000,
    });
  }
}
if (results.length > 1) {
  console.log('\ntest:vscode summary');
  for (const r of results) console.log(`  ${r.code === 0 ? 'pass' : `FAIL (exit ${r.code})`}  ${r.label}  ${r.seconds.toFixed(1)} s`);
}
process.exit(results.find((r) => r.code !== 0)?.code ?? 0);
