// Bundles the extension (dist/) and, with --tests, the in-VS-Code test suite (out/).
// Type checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const withBench = args.has('--bench');
// `--outdir <dir>`: the extension's files go there instead of dist/ (the tests build into a folder of their own).
const outdirAt = process.argv.indexOf('--outdir');
const distDir = outdirAt > 0 && process.argv[outdirAt + 1] ? process.argv[outdirAt + 1] : 'dist';
/**
 * The test API (a scripted Prompter, the API URL answer, the extension context with its secrets, …) is compiled
 * only into development and test builds: in a production build `TEST_HOOKS` is the constant false, and the minifier
 * drops the branch that builds it, so the published bundle holds none of it. The bench measures a packaged
 * production build and drives it through the test API: it sets FLY_TOKENS_TEST_HOOKS=1 for its own builds.
 */
const testHooks = !production || withTests || withBench || process.env.FLY_TOKENS_TEST_HOOKS === '1';

/** @typedef {import('esbuild').Plugin} Plugin */

/**
 * node-fetch@2 falls back to the whatwg-url package only where Node has no global URL; Node 20 has one, so the
 * 290 KB of whatwg-url + tr46 would be dead weight in the bundle.
 */
/** @type {Plugin} */
const noWhatwgUrl = {
  name: 'no-whatwg-url',
  setup(b) {
    b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Code that activation does not need is in files of its own, loaded by a dynamic import() when first used, so that
 * VS Code loads less when the extension activates: flyctl's config.yml reader (a 100+ KB YAML parser, one sign-in
 * method), the browser sign-in flow, the sealing of GitHub secrets (tweetnacl + blake2b), the TOML reader (first
 * workspace scan), node-fetch (first request), the leak finder (after start-up: the macaroon reader and its
 * MessagePack library) and the workspace scan for tokens (its .gitignore reader). Each exports only functions and its
 * own classes, so no class exists twice across files.
 */
const LAZY = [
  ...['fly/flyctlConfig', 'fly/login', 'fly/flyToml', 'http/nodeFetch', 'github/seal', 'github/workflowYaml', 'http/yaml'],
  ...['fly/bundle', 'leaks/leakFinder', 'leaks/workspaceScan'],
];

/** In the on-demand files, the YAML library is the shared dist/yaml.js, required at run time, never copied in. */
/** @type {Plugin} */
const sharedYaml = {
  name: 'shared-yaml',
  setup(b) {
    b.onResolve({ filter: /(^|\/)http\/yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};
/** @type {Plugin} */
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    const filter = new RegExp(`(^|/)(${LAZY.map((m) => m.replace('/', '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./${args.path.split('/').pop()}.js`, external: true } : undefined,
    );
    b.onResolve({ filter: /^\.\/(nodeFetch|flyToml|login|flyctlConfig|seal|workflowYaml|bundle|leakFinder|workspaceScan)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `${args.path}.js`, external: true } : undefined,
    );
  },
};

/**
 * Every `import * as vscode from 'vscode'` would otherwise copy the whole API object (hundreds of properties) into a
 * namespace of its own at load time, once per importing file: with VS Code's real API that was most of the
 * bundle's load time. One virtual module re-exports 'vscode' once, and every file shares its namespace.
 */
/** @type {Plugin} */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
    );
    b.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
  sourcemap: !production,
  minify: production,
  legalComments: 'none',
  define: { TEST_HOOKS: String(testHooks) },
  plugins: [noWhatwgUrl, oneVscodeNamespace],
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${distDir}/extension.js`, metafile: true, plugins: [noWhatwgUrl, oneVscodeNamespace, lazyModules] },
  ...LAZY.map((m) => ({
    ...common,
    entryPoints: [`src/${m}.ts`],
    outfile: `${distDir}/${m.split('/').pop()}.js`,
    plugins: [noWhatwgUrl, oneVscodeNamespace, lazyModules, sharedYaml],
  })),
];
if (withTests) {
  builds.push({
    ...common,
    entryPoints: ['test/vscode/index.ts'],
    outfile: 'out/test/vscode/index.js',
    // mocha is loaded from node_modules at run time: it reads its own files and options.
    external: ['vscode', 'mocha'],
    sourcemap: true,
    minify: false,
  });
}

if (withBench) {
  // `npm run bench`: the measurements that run inside VS Code, built like the test suite.
  builds.push({
    ...common,
    entryPoints: ['test/bench/index.ts'],
    outfile: 'out/test/bench/index.js',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    minify: false,
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const out = results[0].metafile?.outputs[`${distDir}/extension.js`];
  if (out) console.log(`[esbuild] ${distDir}/extension.js ${out.bytes} bytes${production ? ' (production)' : ''}${testHooks ? ' with the test API' : ''}`);
}
