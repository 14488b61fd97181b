// Bundles the extension (dist/) and, with --tests, the in-VS-Code test suite (out/).
// Type checking is separate: `npm run typecheck`.
import * as esbuild from 'esbuild';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

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
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true },
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

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const out = results[0].metafile?.outputs['dist/extension.js'];
  if (out) console.log(`[esbuild] dist/extension.js ${out.bytes} bytes${production ? ' (production)' : ''}`);
}
