// The listing a new user sees on the Marketplace / Open VSX and the walkthrough they meet after installing:
// package.json's listing fields, the icon, the CHANGELOG, the walkthrough's steps, media and completion events,
// and `npm run package` itself (it must print no warning, and ship exactly what the manifest points at).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; svg?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
  when?: string;
}
interface Manifest {
  name: string;
  version: string;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories: string[];
  keywords: string[];
  repository?: string | { url: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: Record<string, { icon: string }[]>;
    walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[];
  };
}

const pkg = JSON.parse(read('package.json')) as Manifest;
const walkthroughs = pkg.contributes.walkthroughs ?? [];
const steps = walkthroughs[0]?.steps ?? [];
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
/** A whole-value %placeholder% as VS Code shows it (package.nls.json), else the value itself. */
const text = (value: string) => value.replace(/^%([\w.-]+)%$/, (whole, key: string) => nls[key] ?? whole);

// The Marketplace's categories (Open VSX takes the same names).
const CATEGORIES = new Set([
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps',
  'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers',
  'Snippets', 'Testing', 'Themes', 'Visualization',
]);

/** Width and height from a PNG's IHDR chunk; throws when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is not a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR', `${file} has no IHDR chunk first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('package.json: the Marketplace and Open VSX listing', () => {
  it('has a square 128×128 or 256×256 PNG icon (an SVG is refused), drawn from a committed source', () => {
    assert.ok(pkg.icon, 'no "icon"');
    assert.match(pkg.icon, /\.png$/, 'the Marketplace refuses SVG icons');
    const { width, height } = pngSize(path.join(ROOT, pkg.icon));
    assert.equal(width, height, `the icon is ${width}×${height}`);
    assert.ok([128, 256].includes(width), `the icon is ${width}×${height}; the Marketplace wants 128×128 (or 256×256)`);
    // The icon can be redrawn: its SVG and the script that renders it are in the repository.
    const script = read('media/src/render-icon.mjs');
    assert.match(script, /icon\.svg/);
    assert.match(read('media/src/icon.svg'), new RegExp(`width="${width}"`), 'icon.svg and icon.png differ in size');
  });

  it('has a gallery banner, Marketplace categories and searchable keywords', () => {
    assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/, 'galleryBanner.color');
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner?.theme ?? ''), 'galleryBanner.theme is dark or light');
    assert.ok(pkg.categories.length > 0);
    assert.deepEqual(pkg.categories.filter((c) => !CATEGORIES.has(c)), [], 'not a Marketplace category');
    assert.ok(pkg.keywords.length >= 5 && pkg.keywords.length <= 30, `${pkg.keywords.length} keywords (the Marketplace takes at most 30)`);
    const lower = pkg.keywords.map((k) => k.toLowerCase());
    assert.deepEqual(lower.filter((k, i) => lower.indexOf(k) !== i), [], 'duplicate keywords');
    for (const wanted of ['fly.io', 'flyctl', 'fly_api_token', 'github actions']) assert.ok(lower.includes(wanted), `keyword ${wanted}`);
  });

  it('builds the production bundle before packaging, and publishes to both registries', () => {
    assert.match(pkg.scripts['vscode:prepublish'] ?? '', /^node esbuild\.mjs --production$/);
    assert.match(pkg.scripts.package ?? '', /^node tools\/package\.mjs$/);
    // Both publish scripts take the package `npm run package` wrote, so both registries get the same bytes.
    const vsix = `dist/${pkg.name}.vsix`;
    assert.equal(pkg.scripts['publish:vsce'], `vsce publish --packagePath ${vsix}`);
    assert.equal(pkg.scripts['publish:ovsx'], `ovsx publish ${vsix}`);
    for (const tool of ['@vscode/vsce', 'ovsx']) {
      assert.ok(pkg.devDependencies[tool], `${tool} is not a devDependency`);
      assert.ok(existsSync(path.join(ROOT, 'node_modules', tool, 'package.json')), `${tool} is not installed`);
    }
  });

  it('names the public repository in one place only, and as a URL vsce understands when it is set', () => {
    // package.json's "repository" is the one place (CONTRIBUTING.md, "Publishing"): vsce derives the README's
    // image links and the listing's issue and home-page links from it, so none of those is written anywhere else.
    const manifest = pkg as unknown as Record<string, unknown>;
    assert.equal(manifest.bugs, undefined, '"bugs" is derived from "repository"');
    assert.equal(manifest.homepage, undefined, '"homepage" is derived from "repository"');
    if (pkg.repository !== undefined) {
      const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url;
      assert.match(url, /^https:\/\/(github\.com|gitlab\.com)\/[\w.-]+\/[\w.-]+?(\.git)?$/, `repository ${url}`);
    }
    assert.match(read('CONTRIBUTING.md'), /"repository"/, 'CONTRIBUTING.md does not say where the repository URL goes');
  });

  it('has a CHANGELOG entry for the version in package.json, first', () => {
    // release.yml takes the release notes from the "## X.Y.Z" section of the tagged version.
    const headings = [...read('CHANGELOG.md').matchAll(/^## +(.*)$/gm)].map((m) => m[1].trim());
    assert.equal(headings[0], pkg.version, `CHANGELOG.md's first section is "${headings[0]}", package.json says ${pkg.version}`);
    assert.deepEqual(headings.filter((h, i) => headings.indexOf(h) !== i), [], 'a release appears twice');
  });
});

describe('package.json: the walkthrough', () => {
  const declared = new Set(pkg.contributes.commands.map((c) => c.command));
  const views = new Set(Object.values(pkg.contributes.views).flatMap((v) => v.map((x) => x.id)));
  /** A command a link may run: a declared one, or the focus command VS Code adds for each of our views. */
  const runnable = (id: string) => declared.has(id) || [...views].some((v) => id === `${v}.focus`);
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
  const contextKeys = new Set(
    sources(path.join(ROOT, 'src')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/'setContext',\s*'(flyTokens\.[a-zA-Z]+)'/g)].map((m) => m[1]),
    ),
  );

  it('is the one the extension opens on its first run', () => {
    assert.equal(walkthroughs.length, 1);
    const id = /export const WALKTHROUGH_ID = '([\w-]+)'/.exec(read('src/ui/walkthrough.ts'))?.[1];
    assert.equal(walkthroughs[0].id, id, 'src/ui/walkthrough.ts opens another walkthrough id');
  });

  it('goes sign in → open the view → create a token → GitHub secret → deploy workflow', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      ['signIn', 'openView', 'createToken', 'githubSecret', 'deployWorkflow'],
    );
  });

  it('has every title, description and alt text in package.nls.json', () => {
    const values = [
      walkthroughs[0].title,
      walkthroughs[0].description,
      ...steps.flatMap((s) => [s.title, s.description, s.media.altText ?? '']),
    ];
    assert.deepEqual(values.filter((v) => !/^%[\w.-]+%$/.test(v)), [], 'not a %placeholder%');
    assert.deepEqual(values.filter((v) => text(v) === v), [], 'no text in package.nls.json');
    // The walkthrough page shows about three lines of its title in the editor; keep it short.
    assert.ok(text(walkthroughs[0].title).length <= 28, `title "${text(walkthroughs[0].title)}" is cut off`);
  });

  it('leads sign-in with the browser and flyctl’s login; a pasted `fly auth token` is said to stop working soon, and what then', () => {
    // flyctl deprecated `fly auth token` (a30f319b5): its token "may expire quickly".
    const signIn = steps.find((s) => s.id === 'signIn')!;
    const words = text(signIn.description);
    assert.ok(words.indexOf('browser') < words.indexOf('fly auth token') && words.indexOf('flyctl') < words.indexOf('fly auth token'), words);
    assert.match(words, /deprecated/);
    assert.match(words, /may stop working soon/);
    assert.match(words, /sign in again/);
    const svg = read(signIn.media.svg!);
    const order = ['Sign in with browser', 'Use flyctl&apos;s login|Use flyctl\'s login', 'Paste an auth token'].map((l) => svg.search(new RegExp(l)));
    assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), `picture order ${JSON.stringify(order)}`);
    assert.match(svg, /may stop working soon/);
    const readme = read('README.md');
    const started = readme.slice(readme.indexOf('## Get started'));
    assert.match(started, /browser[^]*flyctl's login[^]*`fly auth token`[^]*deprecated[^]*sign in again/);
  });

  it('gives each step one media file that exists, ships, and renders inside the webview’s CSP', () => {
    for (const step of steps) {
      const kinds = (['image', 'svg', 'markdown'] as const).filter((k) => step.media[k] !== undefined);
      assert.equal(kinds.length, 1, `${step.id}: media ${JSON.stringify(step.media)}`);
      const file = step.media[kinds[0]] as string;
      assert.match(file, /^media\/walkthrough\//, `${step.id}: ${file} is outside media/walkthrough/`);
      assert.ok(existsSync(path.join(ROOT, file)), `${step.id}: ${file} does not exist`);
      assert.ok(text(step.media.altText ?? '').length > 10, `${step.id}: no alt text`);
      if (file.endsWith('.svg')) {
        const svg = read(file);
        assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="/, `${step.id}: ${file} is not a standalone SVG`);
        // VS Code inlines the SVG into a webview whose CSP refuses inline styles and scripts: theme colours go in
        // presentation attributes as var(--vscode-…, fallback).
        assert.doesNotMatch(svg, /<style|\sstyle="|<script|\son\w+="/i, `${step.id}: ${file} uses what the webview's CSP blocks`);
        assert.match(svg, /var\(--vscode-[\w-]+, #[0-9a-fA-F]{3,6}\)/, `${step.id}: ${file} does not follow the theme`);
      }
    }
  });

  it('ticks each step off by an event VS Code sees, and its button is one of them', () => {
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id}: no completionEvents`);
      for (const event of events) {
        const [kind, arg] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(runnable(arg), `${step.id}: ${event} names no command of ours`);
        else if (kind === 'onView') assert.ok(views.has(arg), `${step.id}: ${event} names no view of ours`);
        else if (kind === 'onContext') assert.ok(contextKeys.has(arg), `${step.id}: ${event}: src/ never sets ${arg}`);
        else assert.fail(`${step.id}: ${event} is not an event this walkthrough expects`);
      }
      // A line that is only a command link is a button; using it must complete the step (directly, or through
      // the context key that command sets).
      const links = [...text(step.description).matchAll(/\]\(command:([\w.]+)[^)]*\)/g)].map((m) => m[1]);
      assert.equal(links.length, 1, `${step.id}: ${links.length} command buttons`);
      assert.ok(runnable(links[0]), `${step.id}: its button runs ${links[0]}, which is not ours`);
      const byCommand = events.includes(`onCommand:${links[0]}`);
      const byContext = links[0] === 'flyTokens.signIn' && events.includes('onContext:flyTokens.signedIn');
      assert.ok(byCommand || byContext, `${step.id}: its button (${links[0]}) does not complete it`);
    }
  });
});

describe('npm run package', function () {
  this.timeout(180_000);
  let output = '';
  let files: string[] = [];
  let dir = '';

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fly-tokens-package-'));
    // The script `npm run package` runs, with the package written elsewhere (vsce takes the last --out).
    const run = spawnSync(process.execPath, ['tools/package.mjs', '--out', path.join(dir, 'test.vsix')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, `packaging failed:\n${output}`);
    // vsce's file tree: "│  ├─ icon.png [29.85 KB]" lines under their folders.
    const stack: string[] = [];
    for (const line of output.split('\n')) {
      const m = /^([│ ]*)[├└]─ (\S+)/.exec(line);
      if (!m) continue;
      const depth = m[1].length / 3;
      stack.length = depth;
      stack[depth] = m[2].replace(/\/$/, '');
      files.push(stack.join('/'));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints no warning and no error', () => {
    assert.match(output, /DONE\s+Packaged:/);
    const bad = output.split('\n').filter((l) => /\bwarn(ing)?\b|\berror\b/i.test(l));
    assert.deepEqual(bad, []);
  });

  it('ships the icon, the walkthrough media and the texts, and none of the sources', () => {
    files = files.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
    const wanted = [
      pkg.icon as string,
      ...Object.values(pkg.contributes.viewsContainers).flatMap((v) => v.map((c) => c.icon)),
      ...steps.map((s) => (s.media.svg ?? s.media.image ?? s.media.markdown) as string),
      'package.nls.json',
      'l10n/bundle.l10n.json',
      'dist/extension.js',
    ];
    assert.deepEqual(wanted.filter((f) => !files.includes(f)), [], `missing from the .vsix (has ${files.join(', ')})`);
    assert.deepEqual(files.filter((f) => /^(src|test|scripts|tools|media\/src|\.github)\//.test(f) || f.endsWith('.map')), []);
  });
});
