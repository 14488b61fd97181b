// Which Fly commands a user finds in the command palette, trusted and in Restricted Mode, signed out and signed in.
// In-host tests run commands by id and cannot see a palette entry nobody can reach; this reads the palette itself.
// Every command package.json contributes must be listed below as shown or hidden in each state, so a new command
// fails here until someone decides where it belongs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/paths.mjs';
import {
  answerInputBox,
  openViewContainer,
  paletteCommands,
  pickQuickItem,
  runCommand,
  waitForNotification,
  waitForWorkbench,
} from './workbench.mjs';

const CONTAINER = 'Fly';
const VIEW = 'Deploy Tokens';

/** @typedef {'trusted' | 'restricted'} Trust */
/** @typedef {'signedOut' | 'signedIn'} Session */

/**
 * Command id → in which states its palette entry is shown. Anything not shown in a state must be absent.
 * @type {Record<string, (trust: Trust, session: Session) => boolean>}
 */
const SHOWN = {
  'flyTokens.createDeployToken': () => true,
  'flyTokens.refresh': () => true,
  'flyTokens.showLog': () => true,
  // the default scope lists the workspace's apps; revoked tokens are hidden by default
  'flyTokens.showOrgTokens': () => true,
  'flyTokens.showAppTokens': () => false,
  'flyTokens.showRevoked': () => true,
  'flyTokens.hideRevoked': () => false,
  // flyctl's own tokens are hidden by default too
  'flyTokens.showFlyctlTokens': () => true,
  'flyTokens.hideFlyctlTokens': () => false,
  // forgets a stored GitHub token, whatever the Fly session
  'flyTokens.signOutGitHub': () => true,
  'flyTokens.signIn': (_trust, session) => session === 'signedOut',
  'flyTokens.signOut': (_trust, session) => session === 'signedIn',
  'flyTokens.revokeToken': (_trust, session) => session === 'signedIn',
  'flyTokens.rotateToken': (_trust, session) => session === 'signedIn',
  'flyTokens.chooseOrganization': (_trust, session) => session === 'signedIn',
  'flyTokens.createOrgDeployToken': (_trust, session) => session === 'signedIn',
  'flyTokens.reviewTokenHygiene': (_trust, session) => session === 'signedIn',
  // needs no sign-in: the leaked token itself signs the request that revokes it
  'flyTokens.revokeLeakedToken': () => true,
  // offline: reading a pasted token or the workspace's files sends nothing, in any trust state
  'flyTokens.inspectToken': () => true,
  'flyTokens.findTokensInWorkspace': () => true,
  // quick fixes on a found token only
  'flyTokens.revokeFoundToken': () => false,
  'flyTokens.ignoreFoundToken': () => false,
  // the repository comes from the workspace: not in Restricted Mode
  'flyTokens.createTokenAsGitHubSecret': (trust) => trust === 'trusted',
  'flyTokens.generateDeployWorkflow': (trust) => trust === 'trusted',
  // tree-row actions only
  'flyTokens.copyTokenId': () => false,
  'flyTokens.openDashboard': () => false,
  // VS Code's own "Focus on … View" for the view, listed under the container's title
  'flyTokens.tokens.focus': () => true,
};

/** Palette titles ("Fly: Sign In") of every contributed command, by id, from package.json and package.nls.json. */
function paletteTitles() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
  /** @type {Map<string, string>} */
  const titles = new Map();
  for (const command of /** @type {{command: string, title: string, category?: string}[]} */ (manifest.contributes.commands)) {
    const title = command.title.replace(/^%(.+)%$/, (_whole, key) => nls[key] ?? command.title);
    titles.set(command.command, command.category ? `${command.category}: ${title}` : title);
  }
  // VS Code adds a focus command for every view, titled after the view and its container.
  const nlsText = (/** @type {string} */ value) => value.replace(/^%(.+)%$/, (_whole, key) => nls[key] ?? value);
  const containers = /** @type {{id: string, title: string}[]} */ (manifest.contributes.viewsContainers.activitybar);
  for (const [containerId, views] of Object.entries(manifest.contributes.views)) {
    const container = containers.find((c) => c.id === containerId);
    for (const view of /** @type {{id: string, name: string}[]} */ (views)) {
      titles.set(`${view.id}.focus`, `${nlsText(container?.title ?? '')}: Focus on ${nlsText(view.name)} View`);
    }
  }
  return titles;
}

/**
 * Reads the palette until it shows exactly the expected Fly commands (context keys settle asynchronously after
 * activation and sign-in), or fails with what differs.
 * @param {import('playwright-core').Page} page
 * @param {Trust} trust
 * @param {Session} session
 * @param {(...args: unknown[]) => void} log
 */
async function expectPalette(page, trust, session, log) {
  const titles = paletteTitles();
  const unknown = [...titles.keys()].filter((id) => !(id in SHOWN));
  assert.deepEqual(unknown, [], `test/ui/palette.ui.mjs does not say where these commands belong: ${unknown.join(', ')}`);
  const expected = [...titles]
    .filter(([id]) => SHOWN[id](trust, session))
    .map(([, title]) => title)
    .sort();
  const began = Date.now();
  const deadline = began + 15_000;
  for (let reads = 1; ; reads++) {
    const shown = await paletteCommands(page, 'Fly: ');
    const missing = expected.filter((title) => !shown.includes(title));
    const extra = shown.filter((title) => !expected.includes(title));
    if (missing.length === 0 && extra.length === 0) {
      const settled = reads > 1 ? ` (read ${reads} times over ${((Date.now() - began) / 1000).toFixed(1)} s)` : '';
      log(`${trust}, ${session}: the palette lists ${shown.length} Fly commands, as expected${settled}`);
      return;
    }
    if (reads === 1) log(`${trust}, ${session}: first read differs: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
    if (Date.now() > deadline) {
      assert.fail(
        `${trust}, ${session}: the command palette ` +
          [missing.length ? `lacks ${JSON.stringify(missing)}` : '', extra.length ? `shows ${JSON.stringify(extra)}` : '']
            .filter(Boolean)
            .join(' and '),
      );
    }
  }
}

/**
 * @param {Trust} trust
 * @returns {import('./scenario.mjs').Scenario}
 */
function paletteScenario(trust) {
  return {
    name: `palette-${trust}`,
    trusted: trust === 'trusted',
    // tall enough that the filtered palette list is never scrolled
    viewport: { width: 1400, height: 1100 },
    async run({ page, url, emulator, log }) {
      await page.goto(url);
      await waitForWorkbench(page, CONTAINER);
      await openViewContainer(page, CONTAINER, VIEW);
      // The view's welcome text says the extension is active and which trust it sees.
      const welcome =
        trust === 'trusted' ? 'Sign in to Fly.io to list, create and revoke deploy tokens' : 'This workspace is in Restricted Mode';
      await page.locator('.welcome-view-content').filter({ hasText: welcome }).waitFor();
      await expectPalette(page, trust, 'signedOut', log);

      await runCommand(page, 'Fly: Sign In');
      await pickQuickItem(page, 'Paste an auth token');
      await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
      await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
      await expectPalette(page, trust, 'signedIn', log);
    },
  };
}

/** @type {import('./scenario.mjs').Scenario[]} */
export const scenarios = [paletteScenario('trusted'), paletteScenario('restricted')];
