// The first minute of a new user: VS Code without the extension, the .vsix installed from the Extensions UI
// ("Install from VSIX…", the path an install from the Marketplace takes too). code-server does not open a new
// extension's walkthrough the way desktop VS Code does, so the extension opens it on its first run: when the user
// clicks its activity-bar icon. The walkthrough's "Sign In" button runs the real sign-in (pasted emulator token) and
// the step ticks itself off; "Open the Deploy Tokens View" ticks off the next. After Reload Window the walkthrough
// does not open again (first install only), and the two steps stay done.
// Found and started by scripts/runUiTests.mjs, on a code-server of its own whose profile does NOT have the extension
// (`installed: false`) and has `workbench.welcomePage.walkthroughs.openOnInstall` on (the quiet settings turn it off).
import assert from 'node:assert/strict';
import path from 'node:path';
import { EXTENSION_ID } from '../../scripts/lib/paths.mjs';
import { answerInputBox, openViewContainer, pickQuickItem, runCommand, treeRow, waitForNotification } from './workbench.mjs';

const CONTAINER = 'Fly';
const VIEW = 'Deploy Tokens';
const TITLE = 'Set Up Fly Deploy Tokens';
const WALKTHROUGH = `${EXTENSION_ID}#gettingStarted`;
const STEPS = ['signIn', 'openView', 'createToken', 'githubSecret', 'deployWorkflow'];

/** @type {import('./scenario.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'walkthrough',
    installed: false,
    // VS Code's default, which the harness's quiet profile switches off.
    prepare: async () => ({ settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } }),
    run: ({ page, url, vsix, emulator, shotsDir, log }) => run(page, url, { vsix, emulator, shotsDir, log }),
  },
];

/** @typedef {import('playwright-core').Page} Page */

const stepButton = (/** @type {Page} */ page, /** @type {string} */ id) =>
  page.locator(`button.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`);
const doneMark = (/** @type {Page} */ page, /** @type {string} */ id) => page.locator(`[data-done-step-id="${WALKTHROUGH}#${id}"]`);
const walkthroughEditor = (/** @type {Page} */ page) =>
  page.locator('.gettingStartedContainer').filter({ has: page.locator('.category-title', { hasText: TITLE }) });

/**
 * Waits until a step's check mark is (or is not) set.
 * @param {Page} page @param {string} id
 */
async function waitStepDone(page, id, done = true) {
  await doneMark(page, id).first().waitFor({ state: 'attached' });
  await page.waitForFunction(
    ({ selector, want }) => {
      const marks = [...document.querySelectorAll(selector)];
      return marks.length > 0 && marks.every((m) => (m.getAttribute('aria-checked') === 'true') === want);
    },
    { selector: `[data-done-step-id="${WALKTHROUGH}#${id}"]`, want: done },
  );
}

/** @param {Page} page */
async function stepsDone(page) {
  /** @type {Record<string, boolean>} */
  const done = {};
  for (const id of STEPS) done[id] = (await doneMark(page, id).first().getAttribute('aria-checked')) === 'true';
  return done;
}

/**
 * @param {Page} page
 * @param {string} url
 * @param {Pick<import('./scenario.mjs').ScenarioContext, 'vsix' | 'emulator' | 'shotsDir' | 'log'>} ctx
 */
async function run(page, url, { vsix, emulator, shotsDir, log }) {
  const shot = (/** @type {string} */ name) => page.screenshot({ path: path.join(shotsDir, name) });

  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // "Install from VSIX…" is there once the Extensions contributions are; the Fly.io container must not be yet.
  await runCommand(page, 'Extensions: Install from VSIX...');
  assert.equal(await page.locator(`.activitybar a.action-label[aria-label^="${CONTAINER}"]`).count(), 0, 'the extension was installed before the test installed it');
  assert.equal(await walkthroughEditor(page).count(), 0, 'a walkthrough is open before the install');

  // code-server's file dialog is VS Code's own quick input: type the package's path, then Install.
  const pathBox = page.locator('.quick-input-widget .quick-input-box input');
  await pathBox.waitFor({ state: 'visible' });
  // The dialog fills in the folder it starts from once it has read it (and may do so twice): type the path after
  // its list shows, and again should the dialog have overwritten it.
  await page.locator('.quick-input-widget .quick-input-list .label-name', { hasText: /^\s*\.\.\s*$/ }).first().waitFor();
  const file = page.locator('.quick-input-widget .quick-input-list .label-name', { hasText: path.basename(vsix) }).first();
  for (let attempt = 1; ; attempt++) {
    await pathBox.fill(path.resolve(vsix));
    const shown = await file.waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (shown && (await pathBox.inputValue()) === path.resolve(vsix)) break;
    if (attempt === 3) throw new Error(`the file dialog did not take the path ${vsix}; it shows ${await pathBox.inputValue()}`);
  }
  await page.locator('.quick-input-widget').getByRole('button', { name: 'Install', exact: true }).click();
  const installed = await waitForNotification(page, /Completed installing/, 90_000);
  assert.doesNotMatch(installed, /reload|restart/i, `the install asks for a reload: ${installed}`);
  log('installed from VSIX through the Extensions UI');

  // Desktop VS Code opens an installed extension's walkthrough by itself; code-server does not, so the extension
  // opens it the first time it runs: here when the new user clicks its activity-bar icon.
  await openViewContainer(page, CONTAINER, VIEW);
  const editor = walkthroughEditor(page);
  await editor.waitFor({ timeout: 60_000 });
  const tab = page.locator('.tabs-container .tab.active .label-name');
  log('walkthrough opened on first run; tab:', (await tab.textContent())?.trim());
  for (const id of STEPS) await stepButton(page, id).waitFor({ state: 'attached' });
  const titles = await page
    .locator(`button.getting-started-step[data-step-id^="${WALKTHROUGH}#"] .step-title`)
    .allTextContents();
  assert.deepEqual(
    titles.map((t) => t.trim()),
    ['Sign in to Fly.io', 'Open the Deploy Tokens view', 'Create a deploy token', 'Put it into GitHub Actions', 'Deploy on every push'],
    'the steps, in order, with their titles from package.nls.json',
  );
  // Nothing the walkthrough asks for is done yet, except (if VS Code saw the view open after registering the
  // walkthrough) opening the view.
  const before = await stepsDone(page);
  assert.deepEqual(
    { ...before, openView: false },
    { signIn: false, openView: false, createToken: false, githubSecret: false, deployWorkflow: false },
    'a step is done before the user did it',
  );
  // The first step is expanded with its media: the SVG drawn for it.
  await page.locator('.getting-started-media').first().waitFor();
  await shot('walkthrough-opened.png');

  // Step 1: its button runs the real Sign In; the step ticks off once the extension says it is signed in.
  await stepButton(page, 'signIn').click();
  await stepButton(page, 'signIn').getByRole('button', { name: 'Sign In', exact: true }).click();
  await pickQuickItem(page, 'Paste an auth token');
  await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
  await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  await waitStepDone(page, 'signIn');
  log('step "Sign in to Fly.io" done after its Sign In button signed in');

  // Step 2: its button focuses the view (onCommand); the step is done whichever way VS Code noticed it.
  await stepButton(page, 'openView').click();
  await stepButton(page, 'openView').getByRole('button', { name: 'Open the Deploy Tokens View', exact: true }).click();
  await waitStepDone(page, 'openView');
  await treeRow(page, VIEW, 'demo-app').waitFor();
  const afterSteps = await stepsDone(page);
  assert.deepEqual(afterSteps, { signIn: true, openView: true, createToken: false, githubSecret: false, deployWorkflow: false });
  await shot('walkthrough-steps-done.png');
  log('steps now', JSON.stringify(afterSteps));

  // First install only: after a reload, the extension runs again (its view is opened) and the walkthrough stays
  // closed; the Welcome list still offers it, with the progress kept.
  // (Closed first: VS Code restores the editors that were open.)
  await runCommand(page, 'View: Close All Editors');
  await editor.waitFor({ state: 'detached' });
  // VS Code's own Reload Window saves the workbench's state first (a bare page reload may lose the last of it).
  const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 60_000 });
  // The palette's wait ends with the page it ran in: the navigation is what tells the command ran.
  await runCommand(page, 'Developer: Reload Window').catch(() => {});
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await page.locator(`.activitybar a.action-label[aria-label^="${CONTAINER}"]`).waitFor({ timeout: 90_000 });
  await openViewContainer(page, CONTAINER, VIEW);
  // The rows come from the extension after its activate() ran, where it would have opened the walkthrough.
  await treeRow(page, VIEW, 'demo-app').waitFor();
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const walkthroughRow = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: TITLE }) })
    .first();
  await walkthroughRow.waitFor({ state: 'visible' });
  assert.equal(await walkthroughEditor(page).count(), 0, 'the walkthrough opened again after a reload');
  await walkthroughRow.click();
  await editor.waitFor();
  await waitStepDone(page, 'signIn');
  await waitStepDone(page, 'openView');
  assert.equal((await stepsDone(page)).createToken, false);
  log('after a reload: not reopened; opened from the Welcome list, 2 of 5 steps still done');
}
