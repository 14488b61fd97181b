// Varies how many apps the workspace names by writing and deleting fly.toml files, as a user would; the extension
// notices through its file watcher. Waits until that refresh has happened and the emulator has gone quiet, so
// the next measured action is the only one talking to Fly.
import * as fs from 'fs';
import * as path from 'path';
import type { Harness } from '../vscode/support/harness';
import { APP_COUNT, benchAppName } from './world';
import { delay } from './results';

/** Resolves once no request has reached the emulator for `quietMs`. */
export async function emulatorQuiet(h: Harness, quietMs = 500, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  let seen = h.emu.requests.length;
  for (;;) {
    await delay(quietMs);
    const now = h.emu.requests.length;
    if (now === seen && h.emu.requests.every((r) => r.status !== null)) return;
    if (Date.now() - start > timeoutMs) throw new Error(`the emulator kept receiving requests for ${timeoutMs} ms`);
    seen = now;
  }
}

export async function showApps(h: Harness, workspace: string, n: number): Promise<void> {
  for (let i = 1; i <= APP_COUNT; i++) {
    const file = path.join(workspace, benchAppName(i), 'fly.toml');
    if (i <= n) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (!fs.existsSync(file)) fs.writeFileSync(file, `app = "${benchAppName(i)}"\nprimary_region = "ams"\n`);
    } else {
      fs.rmSync(file, { force: true });
    }
  }
  // The watcher's own refresh (debounced) should pick the change up; give it the time a user would.
  const deadline = Date.now() + 5_000;
  while (h.api.model.workspaceApps().length !== n && Date.now() < deadline) await delay(50);
  await h.api.model.refresh({ rescan: true });
  await emulatorQuiet(h, 800);
  const shown = h.api.model.workspaceApps().length;
  if (shown !== n) throw new Error(`the workspace names ${shown} apps, expected ${n}`);
}
