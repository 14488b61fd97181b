// `npm run package`: dist/fly-deploy-tokens.vsix for the Marketplace and Open VSX. vsce runs `vscode:prepublish`
// first, which builds the production bundle.
//
// The public repository is set in ONE place: the "repository" field of package.json (see CONTRIBUTING.md,
// "Publishing"). With it, vsce points the README's and CHANGELOG's relative links and images at that repository
// and derives the listing's issue and home-page links from it. Without it (until the repository is public) the
// package still builds, with relative links left as they are. Extra arguments go to `vsce package`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const require = createRequire(path.join(root, 'package.json'));
const vsceDir = path.dirname(require.resolve('@vscode/vsce/package.json'));
const vsce = path.join(vsceDir, JSON.parse(fs.readFileSync(path.join(vsceDir, 'package.json'), 'utf8')).bin.vsce);

const args = ['package', '--no-dependencies', '-o', path.join('dist', `${manifest.name}.vsix`)];
if (!manifest.repository) {
  console.log('package: no "repository" in package.json yet, so README links stay relative (CONTRIBUTING.md, "Publishing")');
  args.push('--allow-missing-repository', '--no-rewrite-relative-links');
}
args.push(...process.argv.slice(2));
const result = spawnSync(process.execPath, [vsce, ...args], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
