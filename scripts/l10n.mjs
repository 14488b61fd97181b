// `npm run l10n` writes l10n/bundle.l10n.json from every vscode.l10n.t() call in src/ (@vscode/l10n-dev, the
// tool VS Code's own extensions use); `npm run l10n -- --check` fails when the committed bundle is not what the
// source would give, so a new or changed message cannot ship untranslatable.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/paths.mjs';

const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');
const check = process.argv.includes('--check');
const outDir = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'l10n-')) : path.dirname(BUNDLE);

const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
const run = spawnSync(process.execPath, [cli, 'export', '--outDir', outDir, path.join(ROOT, 'src')], {
  cwd: ROOT,
  encoding: 'utf8',
});
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  console.error('l10n: the export failed');
  process.exit(1);
}

const written = path.join(outDir, 'bundle.l10n.json');
/** @type {Record<string, unknown>} */
const fresh = JSON.parse(fs.readFileSync(written, 'utf8'));
const count = Object.keys(fresh).length;

if (!check) {
  console.log(`l10n: ${count} messages in ${path.relative(ROOT, BUNDLE)}`);
  process.exit(0);
}

/** @type {Record<string, unknown>} */
let committed = {};
try {
  committed = JSON.parse(fs.readFileSync(BUNDLE, 'utf8'));
} catch {
  console.error(`l10n: ${path.relative(ROOT, BUNDLE)} is missing or not JSON; run npm run l10n`);
  process.exit(1);
}
fs.rmSync(outDir, { recursive: true, force: true });

const missing = Object.keys(fresh).filter((key) => !(key in committed));
const stale = Object.keys(committed).filter((key) => !(key in fresh));
const changed = Object.keys(fresh).filter(
  (key) => key in committed && JSON.stringify(fresh[key]) !== JSON.stringify(committed[key]),
);
if (missing.length + stale.length + changed.length > 0) {
  /** @type {(label: string, keys: string[]) => void} */
  const show = (label, keys) => keys.slice(0, 5).forEach((key) => console.error(`  ${label}: ${JSON.stringify(key).slice(0, 100)}`));
  const counts = `${missing.length} new, ${stale.length} gone, ${changed.length} changed`;
  console.error(`l10n: the bundle is out of date (${counts}); run npm run l10n`);
  show('new', missing);
  show('gone', stale);
  show('changed', changed);
  process.exit(1);
}
console.log(`l10n: bundle current (${count} messages)`);
