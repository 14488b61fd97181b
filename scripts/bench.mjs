// `npm run bench`: what the extension costs, measured. Builds the production bundle and the .vsix, runs the packaged
// extension in a real VS Code (code-server) against the Fly API emulator, and prints a table (also written to
// test-results/bench.json). Missing a goal is reported, not fatal; a measurement that could not be taken exits 1.
// Options: --sessions <n> fresh extension hosts for activation (default 5), --verbose (the extension host's output),
// --vscode oldest|newest (default newest; scripts/lib/vscodeTargets.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { freshDir, startCodeServer } from './codeServer.mjs';
import { runExtensionTests } from './lib/extensionTests.mjs';
import { CACHE, RESULTS, ROOT } from './lib/paths.mjs';
import { argValue, suiteEnv } from './lib/testEnv.mjs';
import { buildRows, formatTable } from '../test/bench/table.mjs';
import { UsageError, targetsFromArgs } from './lib/vscodeTargets.mjs';

const argv = process.argv.slice(2);
const sessions = Math.max(5, Number(argValue(argv, 'sessions')) || 5);
const verbose = argValue(argv, 'verbose') === true;
/** @type {import('./lib/vscodeTargets.mjs').VscodeTarget} */
let target;
try {
  const targets = targetsFromArgs(argv, 'newest');
  if (targets.length !== 1) throw new UsageError('the bench measures one VS Code at a time: --vscode oldest or newest');
  target = targets[0];
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
const started = Date.now();
const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (/** @type {string} */ line) => console.log(`[bench] ${line}`);
/** @type {string[]} */
const problems = [];

/**
 * @param {string} command @param {string[]} args @param {string} what
 * @returns {string} stdout
 */
function run(command, args, what, cwd = ROOT) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  }
  return result.stdout;
}

/**
 * A copy of the checkout to build and package in: others may rebuild dist/ (a development build) while the bench
 * runs, and every figure must come from one production build of one state of the sources.
 */
function snapshot() {
  const dir = freshDir('bench', 'project');
  const skip = new Set(['node_modules', '.git', '.cache', 'dist', 'out', 'test-results']);
  for (const entry of fs.readdirSync(ROOT)) {
    if (skip.has(entry)) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (source) => !source.endsWith('.vsix') });
  }
  return dir;
}

/** The packaged extension, unpacked: the bench runs exactly what users install. */
function unpackVsix(/** @type {string} */ vsix) {
  const dir = freshDir('bench', 'vsix');
  run('unzip', ['-q', '-o', vsix, 'extension/*', '-d', dir], 'unzip of the .vsix');
  return path.join(dir, 'extension');
}

/** @param {string} extensionDir @param {string} vsix */
function sizes(extensionDir, vsix) {
  const bytes = (/** @type {string} */ file) => fs.statSync(file).size;
  const dist = path.join(extensionDir, 'dist');
  // Every other bundle in dist/ is meant to load on demand; the sessions check that activation leaves them alone.
  const onDemand = Object.fromEntries(
    fs.readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'extension.js').sort().map((f) => [`dist/${f}`, bytes(path.join(dist, f))]),
  );
  const shipped = { extensionJs: bytes(path.join(dist, 'extension.js')), onDemand, vsix: bytes(vsix) };
  const files = fs.readdirSync(extensionDir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(extensionDir, f)).isFile());
  return { ...shipped, vsixFiles: files.sort() };
}

/** An empty folder: the bench writes and deletes the apps' fly.toml files in it while VS Code has it open. */
function benchWorkspace() {
  return freshDir('bench-ws');
}

/**
 * One fresh VS Code running the bench suite; its results as the suite wrote them.
 * @param {number} index @param {'full' | 'activation'} mode @param {string} extensionDir @param {string} benchSuite
 * @returns {Promise<import('../test/bench/results.ts').SessionResult>}
 */
async function session(index, mode, extensionDir, benchSuite) {
  const workspace = benchWorkspace();
  const profile = freshDir('bench', `session-${index}`);
  const out = path.join(profile, 'result.json');
  /** @type {string[]} */
  const lines = [];
  /** @type {Awaited<ReturnType<typeof startCodeServer>> | undefined} */
  let server;
  try {
    server = await startCodeServer({
      target,
      folder: workspace,
      userDataDir: path.join(profile, 'user-data'),
      extensionsDir: path.join(profile, 'extensions'),
      logFile: path.join(profile, 'code-server.log'),
      env: { ...suiteEnv(undefined, path.join(profile, 'fly-config')), BENCH_OUT: out, BENCH_MODE: mode, BENCH_WS: workspace },
    });
    const code = await runExtensionTests({
      baseUrl: server.baseUrl,
      openQuery: `folder=${encodeURIComponent(workspace)}`,
      extensionDevelopmentPath: extensionDir,
      extensionTestsPath: benchSuite,
      timeoutMs: 120_000,
      print: (line) => {
        lines.push(line);
        if (verbose || line.startsWith('[bench]')) console.log(line);
      },
    });
    if (!fs.existsSync(out)) {
      if (!verbose) console.log(lines.slice(-30).join('\n'));
      throw new Error(`session ${index} wrote no results (exit ${code}); code-server log: ${server.logFile}`);
    }
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    await server?.stop();
  }
}

let code = 0;
// Timings mean little on a busy machine: the load is recorded with them, and a busy run says so.
const load = () => Math.round(os.loadavg()[0] * 10) / 10;
/**
 * What test-results/bench.json holds.
 * @type {import('../test/bench/table.mjs').BenchReport & {date: string, codeServer: string, vscode: string, node: string,
 *   cpu?: string, cpus: number, loadAverage: {start: number, end?: number}, commit?: string, uncommittedFiles?: number,
 *   rows?: import('../test/bench/table.mjs').Row[], problems?: string[], seconds?: number}}
 */
const report = {
  date: new Date().toISOString(),
  codeServer: target.codeServer,
  vscode: target.vscode,
  node: target.node ? `v${target.node}` : process.version,
  cpu: os.cpus()[0]?.model,
  cpus: os.cpus().length,
  loadAverage: { start: load() },
};
try {
  say('building (production bundle + bench suite) and packaging, in a snapshot of the checkout');
  report.commit = run('git', ['rev-parse', '--short', 'HEAD'], 'git rev-parse').trim();
  report.uncommittedFiles = run('git', ['status', '--porcelain'], 'git status').split('\n').filter(Boolean).length;
  const project = snapshot();
  // The in-editor figures drive the packaged build through the test API, which a production build leaves out.
  process.env.FLY_TOKENS_TEST_HOOKS = '1';
  run(process.execPath, ['esbuild.mjs', '--production', '--bench'], 'the build', project);
  run('npm', ['run', 'package'], 'npm run package', project);
  const vsix = path.join(project, 'dist', 'fly-deploy-tokens.vsix');
  const extensionDir = unpackVsix(vsix);
  const benchSuite = path.join(project, 'out', 'test', 'bench', 'index.js');
  report.sizes = sizes(extensionDir, vsix);

  say(`client-level request counts (${since()})`);
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cli');
  try {
    report.client = JSON.parse(run(process.execPath, [tsx, path.join('test', 'bench', 'clientCounts.ts')], 'client counts', project));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }

  report.sessions = [];
  for (let i = 1; i <= sessions; i++) {
    const mode = i === 1 ? 'full' : 'activation';
    say(`VS Code session ${i}/${sessions} (${mode === 'full' ? 'all measures' : 'activation only'}) at ${since()}`);
    try {
      const loadAverage = load();
      report.sessions.push({ ...(await session(i, mode, extensionDir, benchSuite)), loadAverage });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(message);
      report.sessions.push({ mode, steps: {}, error: message });
    }
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
}

const { rows, missing } = buildRows(report, sessions);
report.rows = rows;
problems.push(...missing);
report.problems = problems;
report.loadAverage.end = load();
report.seconds = Math.round((Date.now() - started) / 100) / 10;
fs.mkdirSync(RESULTS, { recursive: true });
const jsonFile = path.join(RESULTS, 'bench.json');
fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);

console.log(`\n${formatTable(rows)}\n`);
console.log(
  `KB = 1,000 bytes. Sources: ${report.commit} + ${report.uncommittedFiles} uncommitted files. ` +
    `${report.cpus} × ${report.cpu}, Node ${report.node}, code-server ${report.codeServer} (VS Code ${report.vscode}).`,
);
console.log(`Written to ${path.relative(ROOT, jsonFile)}; ${since()} in all. Scratch files: ${path.relative(ROOT, path.join(CACHE, 'bench'))}/`);
const busiest = Math.max(report.loadAverage.start, report.loadAverage.end, ...(report.sessions ?? []).map((s) => s.loadAverage ?? 0));
console.log(`Load average (1 min) during the run: up to ${busiest} on ${report.cpus} CPUs.`);
if (busiest > report.cpus) {
  console.log('WARNING: other processes competed for the CPUs; the timings are inflated. Rerun on a quiet machine.');
}
if (problems.length) {
  code = 1;
  console.error(`\nNot measured (${problems.length}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
}
process.exit(code);
