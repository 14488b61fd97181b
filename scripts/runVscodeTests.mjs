// `npm run test:vscode`: the mocha suite in test/vscode/ inside a real VS Code (code-server 4.100.3),
// with the multi-root fixture workspace open. Options: --grep <pattern>, --verbose (whole page console),
// --untrusted (workspace trust on and the workspace not trusted: runs the Restricted Mode suite instead).
// TEST_TIMEOUT_MS bounds the suite (default 10 min).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { newRunDir, startCodeServer } from './codeServer.mjs';
import { runExtensionTests } from './lib/extensionTests.mjs';
import { stackMapper } from './lib/stackMapper.mjs';
import { ROOT } from './lib/paths.mjs';
import { TEST_WORKSPACE, argValue, suiteEnv } from './lib/testEnv.mjs';

const argv = process.argv.slice(2);
const grep = argValue(argv, 'grep');
const verbose = argValue(argv, 'verbose') === true;
const untrusted = argValue(argv, 'untrusted') === true;
const label = untrusted ? 'test:vscode (untrusted)' : 'test:vscode';
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 600_000);
const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('test:vscode: the build failed');
  process.exit(build.status ?? 1);
}

// The suite's output is part of what must never hold a token: any token-shaped text in it fails the run.
const TOKEN_LIKE = /\b(?:fm1r|fm1a|fm2|fo1)_[A-Za-z0-9+/=_-]{12,}|FlyV1\s+fm2_\S+|Bearer\s+[A-Za-z0-9._-]{20,}/g;
const tokenLines = [];

let server;
let code = 1;
try {
  const profile = newRunDir(untrusted ? 'vscode-untrusted' : 'vscode-tests');
  server = await startCodeServer({
    workspaceFile: TEST_WORKSPACE,
    userDataDir: path.join(profile, 'user-data'),
    extensionsDir: path.join(profile, 'extensions'),
    logFile: path.join(profile, 'code-server.log'),
    env: { ...suiteEnv(typeof grep === 'string' ? grep : undefined, path.join(profile, 'fly-config')), FLY_TOKENS_UNTRUSTED: untrusted ? '1' : undefined },
    trust: !untrusted,
  });
  console.log(`[${label}] code-server ${server.baseUrl} ready after ${since()}; running the suite`);
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
  console.log(`[${label}] exit code ${code} after ${since()} (code-server log: ${server.logFile})`);
} catch (error) {
  console.error('[test:vscode] harness error:', error instanceof Error ? error.message : error);
  code = 2;
} finally {
  await server?.stop();
}
process.exit(code);
