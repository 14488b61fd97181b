// Child processes that must never outlive the script that started them.
// Each child runs in its own process group (detached: true = setsid), so stopping it also stops
// whatever it forked (code-server's extension host and file watchers, tsx's node child, …).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE } from './paths.mjs';

// One file per live group, named by its id: .ci/run's exit trap stops whatever a killed script left behind.
const PID_DIR = path.join(CACHE, 'pids');

/** @param {number} pid @param {string} name */
function remember(pid, name) {
  try {
    fs.mkdirSync(PID_DIR, { recursive: true });
    fs.writeFileSync(path.join(PID_DIR, String(pid)), `${name}\n`);
  } catch {
    // bookkeeping only
  }
}

/** @param {number} pid */
function forget(pid) {
  fs.rmSync(path.join(PID_DIR, String(pid)), { force: true });
}

/** @type {Set<{pid: number, name: string}>} */
const live = new Set();
let hooked = false;

/** @param {number} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: a SIGKILL to each group is all we can do there.
  process.on('exit', () => {
    for (const child of live) {
      killGroup(child.pid, 'SIGKILL');
      forget(child.pid);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const child of live) killGroup(child.pid, 'SIGTERM');
      // 128 + signal number, as a shell reports it
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
    });
  }
}

/**
 * Spawns `command` as the leader of a new process group and returns the child plus an idempotent
 * `stop()` that terminates the whole group (SIGTERM, then SIGKILL after `graceMs`).
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {{child: import('node:child_process').ChildProcess, exited: Promise<{code: number | null, signal: NodeJS.Signals | null}>,
 *   stop: (graceMs?: number) => Promise<void>}}
 */
export function spawnGroup(name, command, args, options = {}) {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) {
    throw new Error(`${name}: could not start ${command}`);
  }
  const entry = { pid: child.pid, name };
  live.add(entry);
  remember(entry.pid, name);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => {
    // The leader may be gone while the rest of its group lives on (e.g. an orphaned ext host):
    // sweep the group once more before forgetting it.
    killGroup(entry.pid, 'SIGKILL');
    live.delete(entry);
    forget(entry.pid);
  });

  let stopping;
  async function stop(graceMs = 5000) {
    stopping ??= (async () => {
      if (!killGroup(entry.pid, 'SIGTERM')) {
        live.delete(entry);
        forget(entry.pid);
        return;
      }
      let timer;
      const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, graceMs, 'timeout')));
      if ((await Promise.race([exited, timedOut])) === 'timeout') killGroup(entry.pid, 'SIGKILL');
      clearTimeout(timer);
      await exited;
      killGroup(entry.pid, 'SIGKILL');
      live.delete(entry);
      forget(entry.pid);
    })();
    return stopping;
  }
  return { child, exited, stop };
}
