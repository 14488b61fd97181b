// `npm run test:ui`: the packaged extension (.vsix) in code-server, driven through Chromium against the Fly API
// emulator. The scenarios are every `test/ui/*.ui.mjs` (each exports `scenarios`, see test/ui/scenario.d.ts), run in
// file-name order, each in a fresh browser profile; scenarios that need the same kind of VS Code (trusted or not,
// built-in extensions turned off) share one code-server. Screenshots land in test-results/ui/<oldest|newest>/.
// Options:
//   --vscode oldest|newest|both  which VS Code (scripts/lib/vscodeTargets.mjs; default newest)
//   --only <text>                only scenarios whose name contains <text>
//   --update-screenshot          refresh the README's media/screenshot.png (also done when it is missing)
//   --headed                     show the browser (needs a display)
//   --vsix <file>                test that package instead of packaging the checkout
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installExtension, newRunDir, startCodeServer } from './codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { EXTENSION_ID, FIXTURES, RESULTS, ROOT, VSIX } from './lib/paths.mjs';
import { argValue } from './lib/testEnv.mjs';
import { UsageError, describeTarget, targetsFromArgs } from './lib/vscodeTargets.mjs';
import { optimizePngs } from '../tools/optimize-png.mjs';

/** @typedef {import('../test/ui/scenario.mjs').Scenario} Scenario */
/** @typedef {import('../test/ui/scenario.mjs').Prepared} Prepared */
/** @typedef {import('./lib/vscodeTargets.mjs').VscodeTarget} VscodeTarget */

const argv = process.argv.slice(2);
/** @type {VscodeTarget[]} */
let targets;
try {
  targets = targetsFromArgs(argv, 'newest');
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`test:ui: ${error.message}`);
  process.exit(2);
}
const only = argValue(argv, 'only');
const headless = argValue(argv, 'headed') !== true;
const UI_DIR = path.join(ROOT, 'test', 'ui');
const MEDIA_SCREENSHOT = path.join(ROOT, 'media', 'screenshot.png');

const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1)}s]`;

/** Every scenario of every test/ui/*.ui.mjs, in file-name order. */
async function loadScenarios() {
  const files = fs.readdirSync(UI_DIR).filter((name) => name.endsWith('.ui.mjs')).sort();
  /** @type {(Scenario & {file: string})[]} */
  const all = [];
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(UI_DIR, file)).href);
    const list = /** @type {Scenario[] | undefined} */ (module.scenarios);
    if (!Array.isArray(list) || list.length === 0) {
      throw new Error(`test/ui/${file} exports no \`scenarios\` array (see test/ui/scenario.d.ts)`);
    }
    for (const scenario of list) {
      if (typeof scenario?.name !== 'string' || typeof scenario.run !== 'function') {
        throw new Error(`test/ui/${file}: every scenario needs a name and a run() function`);
      }
      all.push({ ...scenario, file });
    }
  }
  const names = all.map((s) => s.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new Error(`two UI scenarios are named "${twice}"`);
  return typeof only === 'string' ? all.filter((s) => s.name.includes(only)) : all;
}

/** A manifest with %placeholders% needs its package.nls.json in the package, or every title shows the key. */
function checkInstalledManifest(/** @type {string} */ extensionsDir) {
  const installed = fs
    .readdirSync(extensionsDir)
    .filter((name) => name.toLowerCase().startsWith(`${EXTENSION_ID}-`))
    .map((name) => path.join(extensionsDir, name));
  if (installed.length !== 1) throw new Error(`expected one installed ${EXTENSION_ID}, found ${installed.length}`);
  const manifest = fs.readFileSync(path.join(installed[0], 'package.json'), 'utf8');
  const placeholder = /"%[\w.-]+%"/.exec(manifest)?.[0];
  if (placeholder && !fs.existsSync(path.join(installed[0], 'package.nls.json'))) {
    throw new Error(
      `the .vsix has no package.nls.json, so ${placeholder} and the other titles are shown as keys ` +
        '(add !package.nls.json to .vscodeignore)',
    );
  }
}

/**
 * Every scenario on one VS Code version.
 * @param {VscodeTarget} target
 * @param {(Scenario & {file: string})[]} scenarios
 * @param {string} vsix
 * @returns {Promise<{passed: string[], failed: string[], skipped: string[], readmeScreenshot?: string}>}
 */
async function runTarget(target, scenarios, vsix) {
  const log = (/** @type {unknown[]} */ ...args) => console.log(stamp(), `[${target.name}]`, ...args);
  const shotsDir = path.join(RESULTS, 'ui', target.name);
  fs.rmSync(shotsDir, { recursive: true, force: true });
  fs.mkdirSync(shotsDir, { recursive: true });
  const profile = newRunDir(`ui-${target.name}`);
  /** @type {(() => Promise<void>)[]} */
  const cleanups = [];
  /** @type {string[]} */
  const passed = [];
  /** @type {string[]} */
  const failed = [];
  /** @type {string[]} */
  const skipped = [];
  /** @type {string | undefined} */
  let readmeScreenshot;
  try {
    log(describeTarget(target));
    const emulator = await startEmulatorProcess({ logFile: path.join(profile, 'emulator.log') });
    cleanups.push(emulator.stop);
    log('emulator', emulator.url);

    /** @type {Map<string, Prepared>} */
    const prepared = new Map();
    for (const scenario of scenarios) {
      const result = (await scenario.prepare?.({ dir: path.join(profile, 'scenarios', scenario.name.replace(/\W+/g, '-')) })) ?? {};
      if (result.close) cleanups.push(result.close);
      prepared.set(scenario.name, result);
    }

    const extensionsDir = path.join(profile, 'extensions');
    await installExtension(vsix, { userDataDir: path.join(profile, 'install'), extensionsDir, target });
    checkInstalledManifest(extensionsDir);
    log('extension installed');
    const flyConfigDir = path.join(profile, 'fly-config');
    fs.mkdirSync(flyConfigDir);

    // One code-server per kind of VS Code the scenarios ask for (trust, environment), in order of appearance.
    const kindOf = (/** @type {Scenario} */ s) =>
      JSON.stringify([s.trusted ?? true, s.installed ?? true, Object.entries(s.serverEnv ?? {}).sort()]);
    const runnable = scenarios.filter((s) => {
      const reason = s.skip?.(target);
      if (reason) {
        skipped.push(s.name);
        log(`${s.name}: SKIPPED on VS Code ${target.vscode}: ${reason}`);
      }
      return !reason;
    });
    for (const [index, kind] of [...new Set(runnable.map(kindOf))].entries()) {
      const group = runnable.filter((s) => kindOf(s) === kind);
      const trusted = group[0].trusted ?? true;
      const installed = group[0].installed ?? true;
      const which = `${index + 1}-${trusted ? 'trusted' : 'untrusted'}${installed ? '' : '-not-installed'}`;
      const server = await startCodeServer({
        target,
        folder: path.join(FIXTURES, 'sample'),
        // One profile per server; the installed extension is shared (a server without it has an empty folder).
        userDataDir: path.join(profile, `user-data-${which}`),
        extensionsDir: installed ? extensionsDir : path.join(profile, `extensions-${which}`),
        logFile: path.join(profile, `code-server-${which}.log`),
        settings: Object.assign(
          { 'flyTokens.apiBaseUrl': emulator.url },
          ...group.map((s) => prepared.get(s.name)?.settings ?? {}),
        ),
        // The setting must decide where the extension goes, not a developer's shell or flyctl login.
        env: {
          FLY_API_BASE_URL: undefined,
          FLY_API_TOKEN: undefined,
          FLY_ACCESS_TOKEN: undefined,
          FLY_CONFIG_DIR: flyConfigDir,
          ...group[0].serverEnv,
        },
        trust: trusted,
      });
      log(`code-server (${which})`, server.baseUrl);
      try {
        for (const scenario of group) {
          const ok = await runScenario(scenario, { target, server, emulator, shotsDir, log, prepared, vsix });
          if (ok.passed) passed.push(scenario.name);
          else failed.push(scenario.name);
          if (ok.readmeScreenshot) readmeScreenshot = ok.readmeScreenshot;
        }
      } finally {
        await server.stop();
      }
    }
  } catch (error) {
    failed.push('(harness)');
    console.error(stamp(), `[${target.name}] harness error:`, error instanceof Error ? error.stack ?? error.message : error);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  if (failed.length > 0) console.error(`[${target.name}] logs: ${path.relative(ROOT, profile)}/`);
  return { passed, failed, skipped, readmeScreenshot };
}

/**
 * One scenario in a fresh browser; a failure leaves a screenshot named after it.
 * @param {Scenario} scenario
 * @param {{target: VscodeTarget, server: {baseUrl: string}, emulator: {url: string, token: string}, shotsDir: string,
 *   log: (...args: unknown[]) => void, prepared: Map<string, Prepared>, vsix: string}} context
 * @returns {Promise<{passed: boolean, readmeScreenshot?: string}>}
 */
async function runScenario(scenario, { target, server, emulator, shotsDir, log, prepared, vsix }) {
  const began = Date.now();
  const own = prepared.get(scenario.name) ?? {};
  const folder = own.folder ?? path.join(FIXTURES, 'sample');
  const url = `${server.baseUrl}/?folder=${encodeURIComponent(folder)}`;
  const browser = await launchBrowser({ origin: server.baseUrl, headless, viewport: scenario.viewport });
  const { page } = browser;
  page.setDefaultTimeout(30_000);
  const say = (/** @type {unknown[]} */ ...args) => log(`${scenario.name}:`, ...args);
  try {
    const result = await scenario.run({ page, url, baseUrl: server.baseUrl, emulator, target, shotsDir, log: say, prepared: own, vsix });
    say(`PASS in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return { passed: true, readmeScreenshot: result ? result.readmeScreenshot : undefined };
  } catch (error) {
    console.error(stamp(), `[${target.name}] ${scenario.name}: FAIL`, error instanceof Error ? error.stack ?? error.message : error);
    const file = path.join(shotsDir, `failure-${scenario.name.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: file }).then(
      () => console.error(`failure screenshot: ${path.relative(ROOT, file)}`),
      () => {},
    );
    return { passed: false };
  } finally {
    await browser.close();
  }
}

let code = 0;
try {
  const scenarios = await loadScenarios();
  if (scenarios.length === 0) throw new UsageError(`no UI scenario matches --only ${JSON.stringify(only)}`);

  // --vsix <file> tests a given package (e.g. a release artifact) instead of packaging the checkout.
  const vsixArg = argValue(argv, 'vsix');
  const vsix = typeof vsixArg === 'string' ? path.resolve(vsixArg) : VSIX;
  if (typeof vsixArg !== 'string' && argValue(argv, 'skip-package') !== true) {
    const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
    if (pkg.status !== 0) throw new Error('`npm run package` failed');
    console.log(stamp(), 'packaged', path.relative(ROOT, VSIX));
  }

  /** @type {{target: VscodeTarget, seconds: number, passed: string[], failed: string[], skipped: string[]}[]} */
  const results = [];
  let readmeScreenshot;
  for (const target of targets) {
    const began = Date.now();
    const result = await runTarget(target, scenarios, vsix);
    results.push({ target, seconds: (Date.now() - began) / 1000, ...result });
    readmeScreenshot = result.readmeScreenshot ?? readmeScreenshot;
  }
  if (readmeScreenshot && (argValue(argv, 'update-screenshot') === true || !fs.existsSync(MEDIA_SCREENSHOT))) {
    fs.copyFileSync(readmeScreenshot, MEDIA_SCREENSHOT);
    optimizePngs([MEDIA_SCREENSHOT]);
    console.log(stamp(), 'updated', path.relative(ROOT, MEDIA_SCREENSHOT), 'from', path.relative(ROOT, readmeScreenshot));
  }
  console.log('\ntest:ui summary');
  for (const r of results) {
    const verdict = r.failed.length === 0 ? 'pass' : `FAIL: ${r.failed.join(', ')}`;
    const skips = r.skipped.length ? `, ${r.skipped.length} skipped (${r.skipped.join(', ')})` : '';
    const counts = `${r.passed.length} passed${skips}, ${r.seconds.toFixed(1)} s`;
    console.log(`  ${verdict}  VS Code ${r.target.vscode} (${r.target.name}): ${counts}`);
  }
  if (results.some((r) => r.failed.length > 0)) code = 1;
} catch (error) {
  code = error instanceof UsageError ? 2 : 1;
  console.error(stamp(), 'test:ui:', error instanceof Error ? (error instanceof UsageError ? error.message : error.stack) : error);
}
console.log(stamp(), `done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
