// Every suite file of the in-VS-Code tests, required after mocha has set up its globals (see index.ts).
// Add one line per new `*.test.ts` file here; a literal `require` lets the bundler include it.
export function loadSuites(): void {
  // `--untrusted` runs VS Code with this workspace not trusted: only the Restricted Mode suite applies there.
  if (process.env.FLY_TOKENS_UNTRUSTED === '1') {
    require('./untrusted.test');
    return;
  }
  require('./smoke.test');
  require('./tree.test');
  require('./manifest.test');
  require('./auth.test');
  require('./secretStorage.test');
  require('./faults.test');
  require('./tokens.test');
  require('./security.test');
  require('./badInput.test');
  require('./github.test');
  require('./firstPaint.test');
  // Keep last: it checks that nothing the suites above did left a token on disk.
  require('./leaks.test');
}
