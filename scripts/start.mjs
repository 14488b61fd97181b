// `npm start`: the packaged extension in a local VS Code (code-server) against the Fly API emulator, with the
// sample workspace open. `npm start -- --real` talks to the real Fly API instead.
// Options: --real, --folder <path> (default test/fixtures/sample), --port <code-server port> (default 8080 if free),
// --vscode oldest|newest (default newest: VS Code 1.139.1; oldest: 1.100.3; see scripts/lib/vscodeTargets.mjs).
// Ctrl+C stops code-server and the emulator (each runs in its own process group).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freshDir, installExtension, startCodeServer } from './codeServer.mjs';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { CACHE, FIXTURES, ROOT, VSIX } from './lib/paths.mjs';
import { isPortFree } from './lib/ports.mjs';
import { argValue } from './lib/testEnv.mjs';
import { UsageError, describeTarget, targetsFromArgs } from './lib/vscodeTargets.mjs';

const argv = process.argv.slice(2);
const real = argValue(argv, 'real') === true;
const folderArg = argValue(argv, 'folder');
const folder = path.resolve(typeof folderArg === 'string' ? folderArg : path.join(FIXTURES, 'sample'));
const portArg = Number(argValue(argv, 'port'));
/** @type {import('./lib/vscodeTargets.mjs').VscodeTarget} */
let target;
try {
  const targets = targetsFromArgs(argv, 'newest');
  if (targets.length !== 1) throw new UsageError('npm start runs one VS Code: --vscode oldest or newest');
  target = targets[0];
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`start: ${error.message}`);
  process.exit(2);
}

async function preferredPort(/** @type {number} */ port) {
  return (await isPortFree(port)) ? port : 0;
}

const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
if (pkg.status !== 0) {
  console.error('start: `npm run package` failed');
  process.exit(pkg.status ?? 1);
}

process.on('SIGINT', () => console.log('\nStopping…'));

// Emulator runs start from a fresh profile, like the emulator itself; a --real profile is kept between runs.
const profile = real ? path.join(CACHE, `start-real-${target.name}`) : freshDir(`start-${target.name}`);
const userDataDir = path.join(profile, 'user-data');
const extensionsDir = path.join(profile, 'extensions');
let emulator;
/** @type {Record<string, unknown>} */
const settings = {};
/** @type {Record<string, string | undefined>} */
const env = {};
if (!real) {
  emulator = await startEmulatorProcess({ port: await preferredPort(8787), logFile: path.join(profile, 'emulator.log') });
  settings['flyTokens.apiBaseUrl'] = emulator.url;
  // "Use flyctl's login" finds a flyctl config that holds the emulator's token, never the real one.
  const flyConfigDir = path.join(profile, 'fly-config');
  fs.mkdirSync(flyConfigDir, { recursive: true });
  fs.writeFileSync(
    path.join(flyConfigDir, 'config.yml'),
    `access_token: ${emulator.token}\nlast_login: ${new Date().toISOString()}\n`,
    { mode: 0o600 },
  );
  Object.assign(env, { FLY_API_BASE_URL: undefined, FLY_API_TOKEN: undefined, FLY_ACCESS_TOKEN: undefined, FLY_CONFIG_DIR: flyConfigDir });
}

await installExtension(VSIX, { userDataDir, extensionsDir, target });
const server = await startCodeServer({
  target,
  port: await preferredPort(Number.isInteger(portArg) && portArg > 0 ? portArg : 8080),
  folder,
  userDataDir,
  extensionsDir,
  settings,
  env,
  logFile: path.join(profile, 'code-server.log'),
});

const lines = [
  '',
  `Fly Deploy Tokens in ${describeTarget(target)} is ready.`,
  `  Open        ${server.url}`,
];
if (emulator) {
  lines.push(
    `  API         Fly API emulator on ${emulator.url} (fresh demo data every start)`,
    `  Sign in     Fly: Sign In → "Paste an auth token" → ${emulator.token}`,
    `              (or "Use flyctl's login": a flyctl config with that token is provided)`,
  );
} else {
  lines.push('  API         the real Fly API (sign in with your own account)');
}
lines.push(`  Logs        ${path.relative(ROOT, profile)}/`, '', 'Press Ctrl+C to stop.', '');
console.log(lines.join('\n'));

// Either child dying ends the session, and takes the other one with it.
const ended = await Promise.race([
  server.exited.then(() => 'code-server'),
  ...(emulator ? [emulator.exited.then(() => 'the emulator')] : []),
]);
console.error(`${ended} stopped unexpectedly; see ${path.relative(ROOT, profile)}/`);
await server.stop();
await emulator?.stop();
process.exit(1);
