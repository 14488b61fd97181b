// Runs an `extensionTestsPath` module (mocha suite) inside code-server's extension host: the code-server
// counterpart of desktop VS Code's --extensionDevelopmentPath/--extensionTestsPath, driven through the page.
/* global Element -- the init script runs in the page */
import util from 'node:util';
import { launchBrowser } from './browser.mjs';

const META = /<meta id="vscode-workbench-web-configuration" data-settings="([^"]*)"/;

function unescapeHtml(/** @type {string} */ text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The workbench configuration code-server embeds in its page (we need `remoteAuthority`).
 * @param {string} url
 * @returns {Promise<{remoteAuthority: string}>}
 */
export async function workbenchConfig(url) {
  const html = await (await fetch(url)).text();
  const match = META.exec(html);
  if (!match) throw new Error(`no workbench configuration in the page at ${url}`);
  return JSON.parse(unescapeHtml(match[1]));
}

// The suite's console arrives through the workbench's log service, the same channel the workbench itself
// logs to: these are the workbench's own lines, none of them come from the suite.
const NOISE = [
  /^\d+ms\.$/,
  /socket|connection token|grace time/i,
  /^\[Service Worker\]/,
  /builtin extensions cache/i,
  /^ChatSessionStore|AgentHost|ChatModelSelection|AccountPolicyGate/,
  /getaddrinfo ENOTFOUND open-vsx\.org|marketplace/i,
  /^Started local extension host|^Extension host agent/,
];

/**
 * @param {object} options
 * @param {string} options.baseUrl code-server, e.g. http://127.0.0.1:1234
 * @param {string} options.openQuery e.g. `workspace=<encoded path>` or `folder=<encoded path>`
 * @param {string} options.extensionDevelopmentPath absolute path of the extension under test
 * @param {string} options.extensionTestsPath absolute path of the bundled suite entry (exports run())
 * @param {number} options.timeoutMs
 * @param {boolean} [options.verbose] also print the whole page console
 * @param {(line: string) => void} [options.print]
 * @returns {Promise<number>} the suite's exit code
 */
export async function runExtensionTests(options) {
  const { baseUrl, openQuery, extensionDevelopmentPath, extensionTestsPath, timeoutMs, verbose } = options;
  const print = options.print ?? ((line) => process.stdout.write(`${line}\n`));
  const config = await workbenchConfig(`${baseUrl}/?${openQuery}`);
  const remote = (/** @type {string} */ file) => `vscode-remote://${config.remoteAuthority}${file}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const url = `${baseUrl}/?${openQuery}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const browser = await launchBrowser({ origin: baseUrl });
  const { page } = browser;
  try {
    // Built VS Code products ignore the test payload unless developmentOptions.enableSmokeTestDriver is on,
    // and code-server's CLI has no flag for it: patch the configuration as the workbench reads it.
    // (Rewriting the HTML through page.route() makes Chromium block the workbench's WebSocket instead.)
    await page.addInitScript(() => {
      const getAttribute = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (/** @type {string} */ name) {
        const value = getAttribute.call(this, name);
        if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
          const settings = JSON.parse(value);
          settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
          return JSON.stringify(settings);
        }
        return value;
      };
    });

    /** @type {(outcome: {code: number}) => void} */
    let finish = () => {};
    /** @type {Promise<{code: number, timeout?: undefined} | {timeout: true, code?: undefined}>} */
    const finished = new Promise((resolve) => (finish = resolve));
    // The workbench calls window.codeAutomationExit(code) once the test runner settles.
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => finish({ code }));

    // Extension-host console output reaches the page as console.log('%c <LEVEL>', '<css>', ...original args).
    // Formatting is async (argument handles), so lines are chained to keep their order.
    let printed = Promise.resolve();
    page.on('console', (message) => {
      const text = message.text();
      if (verbose) print(`[page:${message.type()}] ${text.slice(0, 500)}`);
      if (!/^%c\s*(INFO|WARN|ERR|TRACE|DEBUG)\b/.test(text)) return;
      printed = printed.then(async () => {
        let line;
        try {
          const args = await Promise.all(message.args().map((arg) => arg.jsonValue()));
          line = util.format(...args.slice(2));
        } catch {
          line = text.replace(/^%c\s*\w+\s+\S+\s+\S+\s*/, '');
        }
        if (!NOISE.some((pattern) => pattern.test(line))) print(line);
      });
    });
    page.on('pageerror', (error) => print(`[page error] ${error.message}`));

    await page.goto(url);
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), timeoutMs)));
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    await printed;
    if (outcome.timeout) {
      print(
        `\nTIMEOUT: the extension tests did not finish within ${Math.round(timeoutMs / 1000)} s ` +
          '(the workbench never reported an exit code). Raise it with TEST_TIMEOUT_MS=<ms>, or rerun with ' +
          '--verbose to see the whole page console.',
      );
      return 124;
    }
    return outcome.code;
  } finally {
    await browser.close();
  }
}
