// The Fly API emulator (test/emulator/cli.ts) as a child process in its own process group.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './paths.mjs';
import { spawnGroup } from './processGroups.mjs';

const READY = /Fly API emulator on (http:\/\/\S+)\s+sign-in token: (\S+)/;

/** A throw-away user token in the `fo1_…` shape Fly's own user tokens have. */
export function randomSignInToken() {
  return `fo1_${crypto.randomBytes(24).toString('base64url')}`;
}

/**
 * @param {{port?: number, token?: string, logFile: string, timeoutMs?: number}} options
 * @returns {Promise<{url: string, token: string, logFile: string, exited: Promise<unknown>, stop: () => Promise<void>}>}
 */
export async function startEmulatorProcess({ port = 0, token = randomSignInToken(), logFile, timeoutMs = 30_000 }) {
  const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cli');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  const proc = spawnGroup(
    'emulator',
    process.execPath,
    [tsx, path.join(ROOT, 'test', 'emulator', 'cli.ts'), '--port', String(port), '--token', token],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Tokens stay out of log files, even throw-away ones.
  const redact = (/** @type {string} */ text) => text.split(token).join('<sign-in token>').replace(/\b(fm2|fo1)_[\w-]+/g, '$1_<redacted>');
  // Keep draining both pipes into the log for the child's whole life, or it blocks once a pipe fills.
  let seen = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (/** @type {Buffer} */ chunk) => {
      log.write(redact(chunk.toString()));
      seen += chunk.toString();
      const match = READY.exec(seen);
      if (match) resolve(match[1]);
    };
    proc.child.stdout?.on('data', onData);
    proc.child.stderr?.on('data', (chunk) => log.write(redact(chunk.toString())));
    void proc.exited.then((how) =>
      reject(new Error(`the emulator exited before it was ready (${JSON.stringify(how)}); see ${logFile}`)),
    );
    setTimeout(() => reject(new Error(`the emulator did not start within ${timeoutMs / 1000} s; see ${logFile}`)), timeoutMs);
  });
  try {
    const url = await ready;
    return {
      url,
      token,
      logFile,
      exited: proc.exited,
      stop: async () => {
        await proc.stop();
        log.end();
      },
    };
  } catch (error) {
    await proc.stop();
    log.end();
    throw error;
  }
}
