// Test-only extension loaded next to the packaged one by test/ui/workbench.mjs (as a development extension in the
// page's URL): it runs VS Code commands through the command API for the UI scenarios, so that a scenario that is
// not about the command palette does not depend on the palette's timing. It listens on a loopback port and shows
// that port in a status-bar entry of its own window, which is how the harness finds the extension host of the page
// it drives (code-server keeps the hosts of earlier pages alive for a while).
/* global require, module -- a CommonJS extension, as VS Code 1.100 loads them */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
const http = require('node:http');
const vscode = require('vscode');

/** @type {import('vscode').StatusBarItem | undefined} */
let statusEntry;

/** @param {import('vscode').ExtensionContext} context */
function activate(context) {
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const reply = (/** @type {number} */ status, /** @type {unknown} */ value) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value ?? null));
      };
      handle(request.url ?? '', body ? JSON.parse(body) : {}).then(
        (value) => reply(200, value),
        (error) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const item = vscode.window.createStatusBarItem('uiDriver.port', vscode.StatusBarAlignment.Left, -1000);
    item.text = 'ui-driver';
    item.accessibilityInformation = { label: `ui-driver:${port}` };
    item.show();
    statusEntry = item;
    context.subscriptions.push(item);
  });
  context.subscriptions.push({ dispose: () => server.close() });
}

/**
 * /run {command, args, wait}: runs a command; `wait: false` answers once it started (a command that asks
 * questions finishes only when the scenario has answered them), and a later failure is shown as an error
 * notification so that the scenario fails on it.
 * /setting {section, value}: updates a user setting and answers once VS Code has applied it.
 * /extension {id}: whether VS Code knows the extension and whether it is active.
 * @param {string} url @param {any} body
 */
async function handle(url, body) {
  if (url === '/run') {
    const running = vscode.commands.executeCommand(body.command, ...(body.args ?? []));
    if (body.wait === false) {
      running.then(undefined, (error) => {
        void vscode.window.showErrorMessage(`ui-driver: ${body.command} failed: ${error?.message ?? error}`);
      });
      return { started: true };
    }
    return { result: await running };
  }
  if (url === '/setting') {
    const config = vscode.workspace.getConfiguration();
    if (config.get(body.section) !== body.value) {
      const changed = new Promise((resolve) => {
        const listener = vscode.workspace.onDidChangeConfiguration((event) => {
          if (event.affectsConfiguration(body.section)) {
            listener.dispose();
            resolve(undefined);
          }
        });
      });
      await config.update(body.section, body.value, vscode.ConfigurationTarget.Global);
      await changed;
    }
    return { value: vscode.workspace.getConfiguration().get(body.section) };
  }
  if (url === '/hide') {
    // Found: out of the way of the scenarios' screenshots.
    statusEntry?.hide();
    return { hidden: true };
  }
  if (url === '/extension') {
    const extension = vscode.extensions.getExtension(body.id);
    return { known: Boolean(extension), active: Boolean(extension?.isActive) };
  }
  throw new Error(`ui-driver: no route ${url}`);
}

module.exports = { activate, deactivate: () => {} };
