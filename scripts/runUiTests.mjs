// `npm run test:ui`: the packaged extension (.vsix) in code-server, driven through Chromium against the Fly API
// emulator: sign-in → create → revoke, then (fresh browser, a workspace copy with a GitHub remote) a deploy token
// set as a GitHub Actions secret on a fake GitHub API, then (a profile without the extension) the walkthrough on
// first install (test/ui/walkthrough.ui.mjs). Screenshots land in test-results/ui/; `--update-screenshot`
// (or a missing media/screenshot.png) also refreshes the README's media/screenshot.png. `--headed` shows the browser
// (needs a display); `--vsix <file>` tests that package instead of packaging the checkout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { newRunDir, installExtension, startCodeServer } from './codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { EXTENSION_ID, FIXTURES, RESULTS, ROOT, VSIX } from './lib/paths.mjs';
import { argValue } from './lib/testEnv.mjs';
import { tokensFlow } from '../test/ui/tokens.ui.mjs';
import { githubSecretFlow, prepareGitHubSecret } from '../test/ui/githubSecret.ui.mjs';
import { walkthroughFlow } from '../test/ui/walkthrough.ui.mjs';
import { leakedTokenFlow } from '../test/ui/leakedToken.ui.mjs';

const argv = process.argv.slice(2);

/** A manifest with %placeholders% needs its package.nls.json in the package, or every title shows the key. */
function checkInstalledManifest(extensionsDir) {
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
const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1)}s]`;
const log = (...args) => console.log(stamp(), ...args);
const MEDIA_SCREENSHOT = path.join(ROOT, 'media', 'screenshot.png');

// --vsix <file> tests a given package (e.g. a release artifact) instead of packaging the checkout.
const vsixArg = argValue(argv, 'vsix');
const vsix = typeof vsixArg === 'string' ? path.resolve(vsixArg) : VSIX;
if (typeof vsixArg !== 'string' && argValue(argv, 'skip-package') !== true) {
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (pkg.status !== 0) {
    console.error('test:ui: `npm run package` failed');
    process.exit(pkg.status ?? 1);
  }
  log('packaged', path.relative(ROOT, VSIX));
}

const shotsDir = path.join(RESULTS, 'ui');
fs.rmSync(shotsDir, { recursive: true, force: true });
fs.mkdirSync(shotsDir, { recursive: true });
const profile = newRunDir('ui-tests');
const cleanups = [];
let page;
let code = 0;
try {
  const emulator = await startEmulatorProcess({ logFile: path.join(profile, 'emulator.log') });
  cleanups.push(emulator.stop);
  log('emulator', emulator.url);
  const github = await prepareGitHubSecret({ dir: path.join(profile, 'github-workspace') });
  cleanups.push(github.close);
  log('fake GitHub', github.fake.url);

  const userDataDir = path.join(profile, 'user-data');
  const extensionsDir = path.join(profile, 'extensions');
  await installExtension(vsix, { userDataDir, extensionsDir });
  checkInstalledManifest(extensionsDir);
  log('extension installed');
  const flyConfigDir = path.join(profile, 'fly-config');
  fs.mkdirSync(flyConfigDir);
  const server = await startCodeServer({
    folder: path.join(FIXTURES, 'sample'),
    userDataDir,
    extensionsDir,
    logFile: path.join(profile, 'code-server.log'),
    settings: { 'flyTokens.apiBaseUrl': emulator.url, ...github.settings },
    // The setting must decide where the extension goes, not a developer's shell or flyctl login.
    env: { FLY_API_BASE_URL: undefined, FLY_API_TOKEN: undefined, FLY_ACCESS_TOKEN: undefined, FLY_CONFIG_DIR: flyConfigDir },
  });
  cleanups.push(server.stop);
  log('code-server', server.url);

  const browser = await launchBrowser({ origin: server.baseUrl, headless: argValue(argv, 'headed') !== true });
  cleanups.push(browser.close);
  page = browser.page;
  page.setDefaultTimeout(30_000);

  const { screenshot } = await tokensFlow({ page, url: server.url, emulator, shotsDir, log });
  if (argValue(argv, 'update-screenshot') === true || !fs.existsSync(MEDIA_SCREENSHOT)) {
    fs.copyFileSync(screenshot, MEDIA_SCREENSHOT);
    log('updated', path.relative(ROOT, MEDIA_SCREENSHOT));
  }
  // A new browser profile: no Fly session or GitHub token carried over from the first scenario.
  await browser.close();
  const second = await launchBrowser({ origin: server.baseUrl, headless: argValue(argv, 'headed') !== true });
  cleanups.push(second.close);
  page = second.page;
  page.setDefaultTimeout(30_000);
  const githubUrl = `${server.baseUrl}/?folder=${encodeURIComponent(github.folder)}`;
  await githubSecretFlow({ page, url: githubUrl, emulator, fake: github.fake, shotsDir, log });
  await second.close();
  const third = await launchBrowser({ origin: server.baseUrl, headless: argValue(argv, 'headed') !== true });
  cleanups.push(third.close);
  page = third.page;
  await leakedTokenFlow({ page, url: server.url, emulator, shotsDir, log });
  await third.close();
  page = undefined; // the walkthrough scenario has a code-server and browser of its own (and its failure screenshot)
  const headless = argValue(argv, 'headed') !== true;
  await walkthroughFlow({ vsix, emulator, runDir: path.join(profile, 'walkthrough'), shotsDir, headless, log });
  log('PASS');
} catch (error) {
  code = 1;
  console.error(stamp(), 'FAIL', error instanceof Error ? error.stack ?? error.message : error);
  if (page) {
    const file = path.join(shotsDir, 'failure.png');
    await page.screenshot({ path: file }).then(
      () => console.error(`failure screenshot: ${path.relative(ROOT, file)}`),
      () => {},
    );
  }
  console.error(`logs: ${path.relative(ROOT, profile)}/{code-server,emulator}.log`);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}
log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
